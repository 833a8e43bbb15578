using JasperFx.Events;
using Marten;
using Mediator;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Database;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Episodes;

namespace Pare.Cell.Api.Episodes.Reading;

/// <summary>
/// One episode in full: the report, every contact, sighting and piece of information (corrected
/// entries flagged, not hidden), the return. Folded from the case's stream; journaled.
/// </summary>
public sealed record GetEpisode(Guid CaseId, Guid EpisodeId) : IQuery<EpisodeView?>;

public sealed record EpisodeView(
    Guid Id,
    Guid CaseId,
    EpisodeStatus Status,
    RunawayClassification Classification,
    DateTimeOffset LastSeenAt,
    string LastSeenPlace,
    string ReportedBy,
    string? Circumstances,
    string? Clothing,
    string? Companions,
    string? DestinationHints,
    DateTimeOffset ReportedAt,
    long MinutesMissing,
    ReturnView? Return,
    DateTimeOffset? ClosedAt,
    IReadOnlyList<ContactView> Contacts,
    IReadOnlyList<SightingView> Sightings,
    IReadOnlyList<InformationView> Information,
    long CaseVersion)
{
    /// <summary>A past episode entered with its start and end at once (no report, no return recorded at the time).</summary>
    public bool RecordedAfterTheFact { get; init; }

    public string? Notes { get; init; }
}

public sealed record ContactView(long Version, ContactParty With, ContactChannel Channel, ContactOutcome Outcome, string? Notes,
    string? SupportOfferedToFamily, DateTimeOffset OccurredAt, DateTimeOffset RecordedAt, Actor RecordedBy, bool Corrected);

public sealed record SightingView(long Version, string Place, string Source, string? Details, DateTimeOffset SeenAt, DateTimeOffset RecordedAt, Actor RecordedBy, bool Corrected);

public sealed record InformationView(long Version, string Information, DateTimeOffset OccurredAt, DateTimeOffset RecordedAt, Actor RecordedBy, bool Corrected);

public sealed record ReturnView(long Version, DateTimeOffset ReturnedAt, ReturnMode How, string? WhereStayed, SafetyCheck SafetyCheck, DateTimeOffset RecordedAt, Actor RecordedBy);

public sealed class GetEpisodeHandler(IQuerySession session, AccessJournal journal, CurrentUser user, TimeProvider clock)
    : IQueryHandler<GetEpisode, EpisodeView?>
{
    public async ValueTask<EpisodeView?> Handle(GetEpisode query, CancellationToken cancellationToken)
    {
        var events = await session.Events.FetchStreamAsync(query.CaseId, token: cancellationToken);
        var state = events.Aggregate((Case?)null, (s, e) => e.Data is ICaseEvent c ? Case.Evolve(s, c) : s);
        var summary = state?.Episode(query.EpisodeId);
        if (state is null || summary is null) return null;
        await journal.RecordAsync(user, query.CaseId, JournalActions.ReadEpisode, cancellationToken);
        // The case's revision (its ETag) is its snapshot's, never recounted from the events (see Case.Revision).
        var revision = (await session.LoadAsync<Case>(query.CaseId, cancellationToken))!.Revision;

        var corrected = state.CorrectedVersions.ToHashSet();
        var mine = events.Where(e => e.Data is IEpisodeEvent ep && ep.EpisodeId == query.EpisodeId).ToList();
        if (mine.Select(e => e.Data).OfType<PastEpisodeRecorded>().SingleOrDefault() is { } past)
            return new EpisodeView(summary.Id, query.CaseId, summary.Status, summary.Classification, summary.LastSeenAt, summary.LastSeenPlace,
                past.Source ?? "", null, null, null, null, past.Provenance.RecordedAt, (long)summary.MissingFor(clock.GetUtcNow()).TotalMinutes,
                null, summary.ClosedAt, [], [], [], revision) { RecordedAfterTheFact = true, Notes = past.Notes };
        var report = mine.Select(e => e.Data).OfType<RunawayReported>().Single();
        var returned = mine.FirstOrDefault(e => e.Data is ReturnRecorded);

        return new EpisodeView(
            summary.Id, query.CaseId, summary.Status, summary.Classification, summary.LastSeenAt, summary.LastSeenPlace,
            report.ReportedBy, report.Circumstances, report.Clothing, report.Companions, report.DestinationHints, report.Provenance.RecordedAt,
            (long)summary.MissingFor(clock.GetUtcNow()).TotalMinutes,
            returned is { Data: ReturnRecorded r }
                ? new ReturnView(returned.Version, summary.ReturnedAt!.Value, r.How, r.WhereStayed, r.SafetyCheck, r.Provenance.RecordedAt, r.Provenance.RecordedBy)
                : null,
            summary.ClosedAt,
            [.. Of<EpisodeContactLogged>(mine).Select(x => new ContactView(x.Version, x.Fact.With, x.Fact.Channel, x.Fact.Outcome, x.Fact.Notes,
                x.Fact.SupportOfferedToFamily, x.Fact.Provenance.OccurredAt, x.Fact.Provenance.RecordedAt, x.Fact.Provenance.RecordedBy, corrected.Contains(x.Version)))],
            [.. Of<SightingReported>(mine).Select(x => new SightingView(x.Version, x.Fact.Place, x.Fact.Source, x.Fact.Details,
                x.Fact.Provenance.OccurredAt, x.Fact.Provenance.RecordedAt, x.Fact.Provenance.RecordedBy, corrected.Contains(x.Version)))],
            [.. Of<EpisodeInformationAdded>(mine).Select(x => new InformationView(x.Version, x.Fact.Information,
                x.Fact.Provenance.OccurredAt, x.Fact.Provenance.RecordedAt, x.Fact.Provenance.RecordedBy, corrected.Contains(x.Version)))],
            revision);
    }

    private static IEnumerable<(long Version, T Fact)> Of<T>(IEnumerable<IEvent> events) =>
        events.Where(e => e.Data is T).Select(e => (e.Version, (T)e.Data));
}
