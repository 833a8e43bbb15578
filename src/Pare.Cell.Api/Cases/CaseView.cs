using Pare.Cell.Domain.Assessments;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Episodes;

namespace Pare.Cell.Api.Cases;

/// <summary>A case as the API shows it to the cell's workers and head, with its derived facts.</summary>
/// <param name="AssignedWorkerDeactivatedAt">Set while the assigned worker is deactivated in the staff directory:
/// the case is followed by nobody reachable until the head reassigns it.</param>
public sealed record CaseView(
    Guid Id,
    string Reference,
    MinorView Minor,
    Placement Placement,
    IReadOnlyList<GuardianContact> Guardians,
    string AssignedWorkerId,
    DateTimeOffset? AssignedWorkerDeactivatedAt,
    CaseStatus Status,
    ClosureReason? ClosureReason,
    DateTimeOffset OpenedAt,
    DateTimeOffset? ClosedAt,
    DateTimeOffset LastActivityAt,
    CaseFactsView Facts,
    RiskView Risk,
    long Version) : Infrastructure.Database.IJournaledAnswer
{
    /// <summary>On a case read: the minors of the cell linked to this one, and what they share (absent from write answers).</summary>
    public IReadOnlyList<Pare.Cell.Api.Links.LinkedCase>? Links { get; init; }

    Guid Infrastructure.Database.IJournaledAnswer.JournaledCaseId => Id;

    public static CaseView Of(Case state, DateTimeOffset now) => new(
        state.Id,
        state.Reference,
        new MinorView(state.Minor.FirstName, state.Minor.LastName, state.Minor.DateOfBirth, state.Minor.AgeOn(DateOnly.FromDateTime(now.UtcDateTime))),
        state.Placement,
        state.Guardians,
        state.AssignedWorkerId,
        state.AssignedWorkerDeactivatedAt,
        state.Status,
        state.ClosureReason,
        state.OpenedAt,
        state.ClosedAt,
        state.LastActivityAt,
        CaseFactsView.Of(CaseFacts.Of(state, now)),
        RiskView.Of(state),
        state.Revision);
}

/// <summary>The risk level and the due dates the reminders follow.</summary>
public sealed record RiskView(
    RiskLevel? Level,
    DateTimeOffset? ReassessmentDueAt,
    DateTimeOffset? ReassessmentSuggestedAt,
    IReadOnlyList<RiskPoint> Trend,
    IReadOnlyList<InterviewDue> ReturnInterviewsDue)
{
    public static RiskView Of(Case state) => new(
        state.RiskLevel,
        state.ReassessmentDueAt,
        state.ReassessmentSuggestedAt,
        state.RiskTrend,
        [.. state.Episodes.Where(e => e.Interview == InterviewStatus.Due && e.InterviewDueAt is not null).Select(e => new InterviewDue(e.Id, e.InterviewDueAt!.Value))]);
}

/// <param name="DueAt">72 hours after the return: the delay DOMAIN.md sets and the figures measure. A cell may
/// set its reminder earlier or later (<c>PUT /api/v1/policy/reminders</c>); the reminder's own due time is in
/// <c>GET /api/v1/cases/{caseId}/reminders</c>.</param>
public sealed record InterviewDue(Guid EpisodeId, DateTimeOffset DueAt);

public sealed record MinorView(string FirstName, string LastName, DateOnly DateOfBirth, int Age);

/// <summary>Durations in whole minutes, so that any client language reads them without parsing.</summary>
public sealed record CaseFactsView(
    int EpisodeCount,
    int EpisodesInLast30Days,
    bool RepeatedRunaways,
    long TotalMinutesMissing,
    long LongestMinutesMissing,
    CurrentEpisodeView? CurrentEpisode)
{
    public static CaseFactsView Of(CaseFacts facts) => new(
        facts.EpisodeCount,
        facts.EpisodesInLast30Days,
        facts.RepeatedRunaways,
        (long)facts.TotalTimeMissing.TotalMinutes,
        (long)facts.LongestTimeMissing.TotalMinutes,
        facts.CurrentEpisode is { } current
            ? new CurrentEpisodeView(current.Id, current.LastSeenAt, current.Classification, (long)facts.CurrentEpisodeDuration!.Value.TotalMinutes)
            : null);
}

public sealed record CurrentEpisodeView(Guid EpisodeId, DateTimeOffset LastSeenAt, RunawayClassification Classification, long MinutesMissing);

/// <summary>
/// What a command that records an entry answers. <c>entryVersion</c> names the entry (a correction
/// cites it); <c>version</c> is the case's new version (its ETag), which is later when the entry
/// made the episode worrying in the same decision.
/// </summary>
public sealed record EntryRecorded(Guid CaseId, Guid? EpisodeId, long EntryVersion, long Version)
{
    public static EntryRecorded Of(CaseWrite written, Guid? episodeId) =>
        new(written.State.Id, episodeId, written.FirstStreamVersion, written.Version);
}
