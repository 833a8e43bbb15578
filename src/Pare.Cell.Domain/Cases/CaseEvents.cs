using Pare.Cell.Domain.Common;

namespace Pare.Cell.Domain.Cases;

/// <summary>An event of a case's stream. Every one says who recorded it and when.</summary>
public interface ICaseEvent
{
    Guid CaseId { get; }
    Provenance Provenance { get; }
}

/// <summary>
/// A record the system keeps about a case — an alert's delivery, failure, escalation or
/// acknowledgement, a reminder recorded overdue or escalated — rather than a change to the case as
/// its readers see it. It is kept in the case's stream (the timeline shows it, the reminders and
/// deciders read it), but it does not change the case's revision, the version its ETag carries
/// (<see cref="Case.Revision"/>): a client that sends the ETag of its last answer is never refused
/// because the dispatcher recorded a delivery in between. Nor is it the case's last activity.
/// </summary>
public interface ISystemRecord : ICaseEvent;

public sealed record CaseOpened(
    Guid CaseId,
    string Reference,
    MinorIdentity Minor,
    Placement Placement,
    string AssignedWorkerId,
    Provenance Provenance) : ICaseEvent
{
    /// <summary>The cases the worker was shown as probably this minor's and declared another person's (null: none was found).</summary>
    public IReadOnlyList<Guid>? ConfirmedDistinctFrom { get; init; }
}

public sealed record WorkerAssigned(Guid CaseId, string WorkerId, string PreviousWorkerId, string? Reason, Provenance Provenance) : ICaseEvent;

/// <summary>
/// The case's worker was deactivated in the cell's staff directory: nobody reachable follows the
/// minor until the head reassigns the case (a reminder for the head says so).
/// </summary>
public sealed record AssignedWorkerDeactivated(Guid CaseId, string WorkerId, Provenance Provenance) : ICaseEvent;

/// <summary>The worker was reactivated before the case was reassigned: they follow it again.</summary>
public sealed record AssignedWorkerReactivated(Guid CaseId, string WorkerId, Provenance Provenance) : ICaseEvent;

public sealed record PlacementChanged(Guid CaseId, Placement Placement, Provenance Provenance) : ICaseEvent;

public sealed record GuardianContactsUpdated(Guid CaseId, IReadOnlyList<GuardianContact> Guardians, Provenance Provenance) : ICaseEvent;

public sealed record MinorProfileUpdated(Guid CaseId, MinorProfile Profile, Provenance Provenance) : ICaseEvent;

public sealed record CaseClosed(Guid CaseId, ClosureReason Reason, string? Note, Provenance Provenance) : ICaseEvent;

public sealed record CaseReopened(Guid CaseId, string Reason, Provenance Provenance) : ICaseEvent;

/// <summary>
/// A mistaken entry, corrected: the original stays in the stream and on the timeline; this
/// event names it by its stream version, says why, and withdraws it or amends its times.
/// </summary>
public sealed record EntryCorrected(Guid CaseId, long CorrectedVersion, EntryKind Kind, Guid EpisodeId, string Reason, EpisodeTimesCorrection? Times, Provenance Provenance) : ICaseEvent;

/// <summary>New times for a runaway report (last seen) or a return (returned at); null keeps the original.</summary>
public sealed record EpisodeTimesCorrection(DateTimeOffset? LastSeenAt, string? LastSeenPlace, DateTimeOffset? ReturnedAt);

public enum ClosureReason
{
    /// <summary>The minor came of age.</summary>
    ReachedMajority,
    /// <summary>The cell's follow-up is no longer needed.</summary>
    NoLongerAtRisk,
    /// <summary>Moved out of the cell's area.</summary>
    MovedAway,
    /// <summary>Handed over to another service or cell.</summary>
    Transferred,
    Other,
}

public sealed record GuardianContact(string Name, GuardianRelationship Relationship, string? Phone, string? Email);

public enum GuardianRelationship
{
    Mother,
    Father,
    LegalGuardian,
    ChildWelfareReferent,
    EstablishmentEducator,
    FosterCarer,
    Other,
}
