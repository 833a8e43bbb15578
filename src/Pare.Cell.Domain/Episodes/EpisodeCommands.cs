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

public sealed record AddEpisodeInformation(Guid EpisodeId, string Information, DateTimeOffset OccurredAt, Actor By, DateTimeOffset Now)
    : CaseCommand(By, Now);

public sealed record RecordReturn(
    Guid EpisodeId,
    DateTimeOffset ReturnedAt,
    ReturnMode How,
    string? WhereStayed,
    SafetyCheck SafetyCheck,
    Actor By,
    DateTimeOffset Now) : CaseCommand(By, Now);

public sealed record CloseEpisode(Guid EpisodeId, Actor By, DateTimeOffset Now) : CaseCommand(By, Now);
