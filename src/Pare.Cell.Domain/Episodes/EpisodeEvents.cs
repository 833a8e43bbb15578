using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Common;

namespace Pare.Cell.Domain.Episodes;

/// <summary>An event about one runaway episode; it lives in the case's stream.</summary>
public interface IEpisodeEvent : ICaseEvent
{
    Guid EpisodeId { get; }
}

/// <summary>The minor is missing. <see cref="Provenance"/>.OccurredAt is the last-seen time.</summary>
public sealed record RunawayReported(
    Guid CaseId,
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
    Provenance Provenance) : IEpisodeEvent;

public sealed record EpisodeContactLogged(
    Guid CaseId,
    Guid EpisodeId,
    ContactParty With,
    ContactChannel Channel,
    ContactOutcome Outcome,
    string? Notes,
    string? SupportOfferedToFamily,
    Provenance Provenance) : IEpisodeEvent;

public sealed record SightingReported(
    Guid CaseId,
    Guid EpisodeId,
    string Place,
    string Source,
    string? Details,
    Provenance Provenance) : IEpisodeEvent;

public sealed record EpisodeInformationAdded(Guid CaseId, Guid EpisodeId, string Information, ConcernSigns Signs, Provenance Provenance) : IEpisodeEvent;

/// <summary>
/// Signs noted in a report or new information that the worrying-disappearance policy reads:
/// suspected third-party involvement or exploitation (older partner, unknown vehicle, gifts,
/// several phones), and a danger declared by a worker (weather, place).
/// </summary>
public sealed record ConcernSigns(bool ThirdPartySuspected, bool DangerDeclared)
{
    public static ConcernSigns None { get; } = new(false, false);
}

/// <summary>The minor is back. <see cref="Provenance"/>.OccurredAt is the return time.</summary>
public sealed record ReturnRecorded(
    Guid CaseId,
    Guid EpisodeId,
    DateTimeOffset ReturnedAt,
    ReturnMode How,
    string? WhereStayed,
    SafetyCheck SafetyCheck,
    Provenance Provenance) : IEpisodeEvent;

/// <summary>
/// A past runaway recorded after the fact, whole: <see cref="Provenance"/>.OccurredAt is the
/// last-seen time, RecordedAt when the cell learnt of it. No alert, found notice, contact reminder
/// or return interview follows from it; it counts in the case's facts and repeated-episode rules.
/// </summary>
/// <param name="Source">Who or what told the cell (a foster home's log, the ASE file).</param>
public sealed record PastEpisodeRecorded(
    Guid CaseId,
    Guid EpisodeId,
    DateTimeOffset LastSeenAt,
    DateTimeOffset ReturnedAt,
    string? LastSeenPlace,
    RunawayClassification Classification,
    ReturnMode? How,
    string? Source,
    string? Notes,
    Provenance Provenance) : IEpisodeEvent;

public sealed record EpisodeClosed(Guid CaseId, Guid EpisodeId, Provenance Provenance) : IEpisodeEvent;

public enum RunawayClassification
{
    /// <summary>Sortie non autorisée: whereabouts known, short.</summary>
    UnauthorisedAbsence,
    /// <summary>Fugue.</summary>
    Runaway,
    /// <summary>Disparition inquiétante: the prosecutor is alerted.</summary>
    WorryingDisappearance,
}

public enum ContactParty
{
    Minor,
    ParentOrGuardian,
    Peer,
    Professional,
    Other,
}

public static class ContactParties
{
    /// <summary>
    /// A contact (or attempt) with the minor, the family or peers maintains the link, the cell's core
    /// practice during a runaway, and answers the contact reminder; a call to the police or another
    /// professional is logged too, but does not.
    /// </summary>
    public static bool MaintainsTheLink(this ContactParty party) => party is ContactParty.Minor or ContactParty.ParentOrGuardian or ContactParty.Peer;
}

public enum ContactChannel
{
    Phone,
    TextMessage,
    SocialMedia,
    InPerson,
    Email,
    Other,
}

/// <summary>An attempt that reached nobody is still logged: maintaining the link is the practice.</summary>
public enum ContactOutcome
{
    Reached,
    NoAnswer,
    MessageLeft,
    Refused,
}

public enum ReturnMode
{
    CameBackAlone,
    FoundByPolice,
    BroughtByThirdParty,
    LocatedWithThirdParty,
}

/// <summary>The immediate health and safety check at the return.</summary>
public sealed record SafetyCheck(bool Done, bool NeedsMedicalCare, bool DisclosedHarm, string? Notes);
