using Pare.Cell.Domain.Common;

namespace Pare.Cell.Domain.Cases;

/// <summary>A command on a case's stream. Time and actor come in the command: deciders do no I/O.</summary>
public abstract record CaseCommand(Actor By, DateTimeOffset Now);

/// <param name="ProbableDuplicates">Cases of the cell that <see cref="Duplicates.ProbablySame"/> says are this minor's.</param>
/// <param name="ConfirmDistinct">The worker saw those cases and says this is another person.</param>
public sealed record OpenCase(Guid CaseId, MinorIdentity Minor, Placement Placement, string AssignedWorkerId, Actor By, DateTimeOffset Now,
    IReadOnlyList<Guid>? ProbableDuplicates = null, bool ConfirmDistinct = false)
    : CaseCommand(By, Now);

public sealed record AssignWorker(string WorkerId, string? Reason, Actor By, DateTimeOffset Now) : CaseCommand(By, Now);

/// <summary>A head deactivated (or reactivated) someone in the staff directory: recorded on each case they follow.</summary>
public sealed record RecordWorkerAvailability(string WorkerId, bool Active, Actor By, DateTimeOffset Now) : CaseCommand(By, Now);

public sealed record ChangePlacement(Placement Placement, Actor By, DateTimeOffset Now) : CaseCommand(By, Now);

public sealed record UpdateGuardianContacts(IReadOnlyList<GuardianContact> Guardians, Actor By, DateTimeOffset Now) : CaseCommand(By, Now);

public sealed record UpdateMinorProfile(MinorProfile Profile, Actor By, DateTimeOffset Now) : CaseCommand(By, Now);

/// <summary>A new photo for the profile (null: remove it); the rest of the profile stays.</summary>
public sealed record ChangeMinorPhoto(ProfilePhoto? Photo, Actor By, DateTimeOffset Now) : CaseCommand(By, Now);

public sealed record CloseCase(ClosureReason Reason, string? Note, Actor By, DateTimeOffset Now) : CaseCommand(By, Now);

public sealed record ReopenCase(string Reason, Actor By, DateTimeOffset Now) : CaseCommand(By, Now);

/// <param name="Corrected">The event recorded at <paramref name="CorrectedVersion"/>, as read from the stream (null: none).</param>
public sealed record CorrectEntry(long CorrectedVersion, ICaseEvent? Corrected, string Reason, EpisodeTimesCorrection? Times, Actor By, DateTimeOffset Now)
    : CaseCommand(By, Now);
