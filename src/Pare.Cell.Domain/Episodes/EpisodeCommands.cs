using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Common;

namespace Pare.Cell.Domain.Episodes;

public sealed record ReportRunaway(
    Guid EpisodeId,
    DateTimeOffset LastSeenAt,
    string LastSeenPlace,
    string ReportedBy,
    string? Circumstances,
    string? Clothing,
    string? Companions,
    string? DestinationHints,
    RunawayClassification Classification,
    ConcernSigns Signs,
    Actor By,
    DateTimeOffset Now) : CaseCommand(By, Now);

public sealed record LogContact(
    Guid EpisodeId,
    ContactParty With,
    ContactChannel Channel,
    ContactOutcome Outcome,
    string? Notes,
    string? SupportOfferedToFamily,
    DateTimeOffset OccurredAt,
    Actor By,
    DateTimeOffset Now) : CaseCommand(By, Now);

public sealed record ReportSighting(Guid EpisodeId, string Place, string Source, string? Details, DateTimeOffset SeenAt, Actor By, DateTimeOffset Now)
    : CaseCommand(By, Now);

public sealed record AddEpisodeInformation(Guid EpisodeId, string Information, ConcernSigns Signs, DateTimeOffset OccurredAt, Actor By, DateTimeOffset Now)
    : CaseCommand(By, Now);

public sealed record RecordReturn(
    Guid EpisodeId,
    DateTimeOffset ReturnedAt,
    ReturnMode How,
    string? WhereStayed,
    SafetyCheck SafetyCheck,
    Actor By,
    DateTimeOffset Now) : CaseCommand(By, Now);

/// <summary>
/// A runaway from before the cell knew the minor (or never reported at the time), entered with its
/// start and end at once: it counts in the facts and the repeated-episode rules, and never alerts.
/// </summary>
public sealed record RecordPastEpisode(
    Guid EpisodeId,
    DateTimeOffset LastSeenAt,
    DateTimeOffset ReturnedAt,
    string? LastSeenPlace,
    RunawayClassification Classification,
    ReturnMode? How,
    string? Source,
    string? Notes,
    Actor By,
    DateTimeOffset Now) : CaseCommand(By, Now);

public sealed record CloseEpisode(Guid EpisodeId, Actor By, DateTimeOffset Now) : CaseCommand(By, Now);

/// <summary>A worker judges the disappearance worrying, whatever the policy says; the reason is required.</summary>
public sealed record FlagWorrying(Guid EpisodeId, string Reason, Actor By, DateTimeOffset Now) : CaseCommand(By, Now);

/// <summary>The service head lowers a worrying classification, with a written reason.</summary>
public sealed record LowerClassification(Guid EpisodeId, RunawayClassification Classification, string Reason, Actor By, DateTimeOffset Now)
    : CaseCommand(By, Now);

/// <summary>Time has passed: look at the open episode again under the policy (run by a job, not a person).</summary>
public sealed record ReviewOpenEpisode(Actor By, DateTimeOffset Now) : CaseCommand(By, Now);
