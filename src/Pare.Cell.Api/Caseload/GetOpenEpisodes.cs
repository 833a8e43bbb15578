using Marten;
using Mediator;
using Npgsql;
using Pare.Cell.Api.Alerts;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Database;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Episodes;

namespace Pare.Cell.Api.Caseload;

/// <summary>Right now: every minor missing in the cell, for how long, how classified, the alert's state and the worker.</summary>
public sealed record GetOpenEpisodes : IQuery<OpenEpisodesView>;

public sealed record OpenEpisodesView(IReadOnlyList<OpenEpisodeRow> Episodes, Freshness Freshness);

public sealed record OpenEpisodeRow(Guid CaseId, string CaseReference, Guid EpisodeId, string AssignedWorkerId, DateTimeOffset LastSeenAt, long MinutesMissing,
    RunawayClassification Classification, AlertStatus? AlertStatus, Guid? AlertId, DateTimeOffset? LastContactAt);

public sealed class GetOpenEpisodesHandler(IQuerySession session, NpgsqlDataSource dataSource, TimeProvider clock, AccessJournal journal, CurrentUser user)
    : IQueryHandler<GetOpenEpisodes, OpenEpisodesView>
{
    public async ValueTask<OpenEpisodesView> Handle(GetOpenEpisodes query, CancellationToken cancellationToken)
    {
        var cases = await session.Query<Case>().Where(c => c.MissingEpisodeId != null).ToListAsync(cancellationToken);
        await journal.RecordAsync(user, [.. cases.Select(c => c.Id)], JournalActions.ListOpenEpisodes, cancellationToken);
        var alertIds = cases.Select(c => c.Episode(c.MissingEpisodeId!.Value)!.AlertId).OfType<Guid>().ToList();
        var alerts = alertIds.Count == 0 ? [] : await session.LoadManyAsync<AlertView>(cancellationToken, alertIds);
        var now = clock.GetUtcNow();
        var rows = cases.Select(c =>
            {
                var episode = c.Episode(c.MissingEpisodeId!.Value)!;
                var alert = alerts.FirstOrDefault(a => a.Id == episode.AlertId);
                return new OpenEpisodeRow(c.Id, c.Reference, episode.Id, c.AssignedWorkerId, episode.LastSeenAt, (long)episode.MissingFor(now).TotalMinutes,
                    episode.Classification, alert?.Status, alert?.Id, episode.LastContactAt);
            })
            .OrderByDescending(r => r.MinutesMissing)
            .ToList();
        return new OpenEpisodesView(rows, await Freshness.ReadAsync(dataSource, user.CellId, clock, cancellationToken));
    }
}
