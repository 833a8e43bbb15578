using Marten;
using Mediator;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Database;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Episodes;

namespace Pare.Cell.Api.Episodes.Reading;

/// <summary>The case's episodes, most recent first, from the case snapshot; journaled.</summary>
public sealed record ListEpisodes(Guid CaseId) : IQuery<IReadOnlyList<EpisodeSummaryView>?>;

public sealed record EpisodeSummaryView(
    Guid Id,
    EpisodeStatus Status,
    RunawayClassification Classification,
    DateTimeOffset LastSeenAt,
    string LastSeenPlace,
    DateTimeOffset? ReturnedAt,
    DateTimeOffset? ClosedAt,
    long MinutesMissing,
    int ContactCount,
    DateTimeOffset? LastContactAt,
    int SightingCount,
    bool RecordedAfterTheFact)
{
    public static EpisodeSummaryView Of(EpisodeSummary e, DateTimeOffset now) => new(
        e.Id, e.Status, e.Classification, e.LastSeenAt, e.LastSeenPlace, e.ReturnedAt, e.ClosedAt,
        (long)e.MissingFor(now).TotalMinutes, e.ContactCount, e.LastContactAt, e.SightingCount, e.AfterTheFact);
}

public sealed class ListEpisodesHandler(IQuerySession session, AccessJournal journal, CurrentUser user, TimeProvider clock)
    : IQueryHandler<ListEpisodes, IReadOnlyList<EpisodeSummaryView>?>
{
    public async ValueTask<IReadOnlyList<EpisodeSummaryView>?> Handle(ListEpisodes query, CancellationToken cancellationToken)
    {
        var state = await session.LoadAsync<Case>(query.CaseId, cancellationToken);
        if (state is null) return null;
        await journal.RecordAsync(user, state.Id, JournalActions.ListEpisodes, cancellationToken);
        var now = clock.GetUtcNow();
        return state.Episodes.OrderByDescending(e => e.LastSeenAt).Select(e => EpisodeSummaryView.Of(e, now)).ToList();
    }
}
