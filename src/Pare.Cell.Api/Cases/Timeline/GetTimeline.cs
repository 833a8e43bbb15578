using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using Mediator;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Database;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Episodes;

namespace Pare.Cell.Api.Cases.Timeline;

/// <summary>Every event of the case in order: what happened, when, when it was recorded and by whom; journaled.</summary>
public sealed record GetTimeline(Guid CaseId) : IQuery<CaseTimeline?>;

public sealed record CaseTimeline(Guid CaseId, IReadOnlyList<TimelineEntry> Entries);

/// <param name="Version">The entry's position in the case's stream; a correction names it.</param>
/// <param name="Corrects">For a correction: the version of the entry it corrects.</param>
/// <param name="CorrectedBy">For a corrected entry: the version of its correction.</param>
/// <param name="Details">The recorded fact itself.</param>
public sealed record TimelineEntry(
    long Version,
    string Type,
    string Summary,
    DateTimeOffset OccurredAt,
    DateTimeOffset RecordedAt,
    Actor RecordedBy,
    Guid? EpisodeId,
    long? Corrects,
    long? CorrectedBy,
    JsonObject Details)
{
    /// <summary>A fact entered long after it happened as a whole (a past episode): its OccurredAt is history, not news.</summary>
    public bool RecordedAfterTheFact { get; init; }
}

public sealed class GetTimelineHandler(IQuerySession session, AccessJournal journal, CurrentUser user, IOptions<JsonOptions> json)
    : IQueryHandler<GetTimeline, CaseTimeline?>
{
    public async ValueTask<CaseTimeline?> Handle(GetTimeline query, CancellationToken cancellationToken)
    {
        var events = await session.Events.FetchStreamAsync(query.CaseId, token: cancellationToken);
        if (events.Count == 0) return null;
        await journal.RecordAsync(user, query.CaseId, JournalActions.ReadTimeline, cancellationToken);

        var correctedBy = events.Where(e => e.Data is EntryCorrected)
            .ToDictionary(e => ((EntryCorrected)e.Data).CorrectedVersion, e => e.Version);
        var options = json.Value.SerializerOptions;

        var entries = events.Where(e => e.Data is ICaseEvent).Select(e =>
        {
            var fact = (ICaseEvent)e.Data;
            var details = JsonSerializer.SerializeToNode(e.Data, e.Data.GetType(), options)!.AsObject();
            details.Remove("caseId");
            details.Remove("provenance");
            return new TimelineEntry(
                e.Version,
                JsonNamingPolicy.CamelCase.ConvertName(e.Data.GetType().Name),
                TimelineText.Describe(fact).ToString(),
                fact.Provenance.OccurredAt,
                fact.Provenance.RecordedAt,
                fact.Provenance.RecordedBy,
                (fact as IEpisodeEvent)?.EpisodeId,
                (fact as EntryCorrected)?.CorrectedVersion,
                correctedBy.TryGetValue(e.Version, out var by) ? by : null,
                details) { RecordedAfterTheFact = e.Data is PastEpisodeRecorded };
        }).ToList();
        return new CaseTimeline(query.CaseId, entries);
    }
}
