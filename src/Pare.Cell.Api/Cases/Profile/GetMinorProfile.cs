using JasperFx.Events;
using Marten;
using Mediator;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Database;
using Pare.Cell.Domain.Cases;

namespace Pare.Cell.Api.Cases.Profile;

/// <summary>The current profile and every earlier version, newest first; journaled.</summary>
public sealed record GetMinorProfile(Guid CaseId) : IQuery<MinorProfileHistory?>;

/// <param name="ProfileVersion">The stream version that set this profile (null: never filled in).</param>
/// <param name="CaseVersion">The case's current revision (its ETag), for If-Match on the next update.</param>
public sealed record MinorProfileView(MinorProfile Profile, long? ProfileVersion, DateTimeOffset? UpdatedAt, string? UpdatedBy, long CaseVersion)
    : IJournaledAnswer
{
    /// <summary>For the journal: the URL names the case.</summary>
    [System.Text.Json.Serialization.JsonIgnore] public Guid CaseId { get; init; }

    Guid IJournaledAnswer.JournaledCaseId => CaseId;
}

public sealed record MinorProfileHistory(MinorProfileView Current, IReadOnlyList<MinorProfileVersion> History);

public sealed record MinorProfileVersion(long Version, DateTimeOffset RecordedAt, string RecordedBy, MinorProfile Profile);

public sealed class GetMinorProfileHandler(IQuerySession session, AccessJournal journal, CurrentUser user) : IQueryHandler<GetMinorProfile, MinorProfileHistory?>
{
    public async ValueTask<MinorProfileHistory?> Handle(GetMinorProfile query, CancellationToken cancellationToken)
    {
        var events = await session.Events.FetchStreamAsync(query.CaseId, token: cancellationToken);
        if (events.Count == 0) return null;
        await journal.RecordAsync(user, query.CaseId, JournalActions.ReadProfile, cancellationToken);

        var history = events
            .Where(e => e.Data is MinorProfileUpdated)
            .Select(e => (Event: e, Update: (MinorProfileUpdated)e.Data))
            .Select(x => new MinorProfileVersion(x.Event.Version, x.Update.Provenance.RecordedAt, x.Update.Provenance.RecordedBy.Id, x.Update.Profile))
            .Reverse()
            .ToList();
        var latest = history.FirstOrDefault();
        // The case's revision is its snapshot's (see Case.Revision), never recounted from the events.
        var revision = (await session.LoadAsync<Case>(query.CaseId, cancellationToken))!.Revision;
        var current = new MinorProfileView(latest?.Profile ?? MinorProfile.Empty, latest?.Version, latest?.RecordedAt, latest?.RecordedBy, revision);
        return new MinorProfileHistory(current, history);
    }
}
