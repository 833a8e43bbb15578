using Pare.Cell.Domain.Common;

namespace Pare.Cell.Domain.Referrals;

public enum PartnerType
{
    /// <summary>116 000 Enfants Disparus.</summary>
    MissingChildrenHotline,
    Association,
    /// <summary>Aide sociale à l'enfance (ASE).</summary>
    ChildWelfareService,
    /// <summary>Cellule de recueil des informations préoccupantes (CRIP).</summary>
    ConcernsUnit,
    PoliceOrGendarmerie,
    Hospital,
    SchoolSocialService,
    Other,
}

/// <summary>What of the case a referral shares with the partner: nothing else is ever shown to it.</summary>
public enum SharedPart
{
    /// <summary>First name, last name, date of birth.</summary>
    Identity,
    /// <summary>The current minor profile (description, phones, places…).</summary>
    Profile,
    RiskLevel,
    /// <summary>The open episode: last seen time and place, classification.</summary>
    OpenEpisode,
}

public enum ReferralStatus
{
    Draft,
    Sent,
    Received,
    Accepted,
    Declined,
    InProgress,
    Completed,
    Cancelled,
    Revoked,
}

/// <summary>Who agreed to the sharing, or why sharing without consent is lawful (art. L226-2-2 CASF).</summary>
public sealed record SharingGround(bool MinorConsented, bool GuardianConsented, string? LegalBasis)
{
    public bool Allows => MinorConsented || GuardianConsented || !string.IsNullOrWhiteSpace(LegalBasis);
}

public interface IReferralEvent
{
    Guid ReferralId { get; }
    Provenance Provenance { get; }
}

public sealed record ReferralDrafted(Guid ReferralId, Guid CaseId, Guid PartnerId, string Reason, IReadOnlyList<SharedPart> Shares, SharingGround Ground, Provenance Provenance) : IReferralEvent;
public sealed record ReferralSent(Guid ReferralId, Provenance Provenance) : IReferralEvent;

/// <summary>The ground of a draft, stated again after drafting (consent given since, a legal basis written down).</summary>
public sealed record ReferralSharingGroundStated(Guid ReferralId, SharingGround Ground, Provenance Provenance) : IReferralEvent;
public sealed record ReferralReceived(Guid ReferralId, Provenance Provenance) : IReferralEvent;
public sealed record ReferralAccepted(Guid ReferralId, Provenance Provenance) : IReferralEvent;
public sealed record ReferralDeclined(Guid ReferralId, string Reason, Provenance Provenance) : IReferralEvent;
public sealed record ReferralProgressUpdated(Guid ReferralId, string Note, Provenance Provenance) : IReferralEvent;
public sealed record ReferralCompleted(Guid ReferralId, string Note, Provenance Provenance) : IReferralEvent;
public sealed record ReferralCancelled(Guid ReferralId, string Reason, Provenance Provenance) : IReferralEvent;
public sealed record ReferralRevoked(Guid ReferralId, string Reason, Provenance Provenance) : IReferralEvent;

/// <summary>A referral's state (FHIR Task-like), folded from its own stream.</summary>
public sealed record Referral
{
    public required Guid Id { get; init; }
    public required Guid CaseId { get; init; }
    public required Guid PartnerId { get; init; }
    public required string Reason { get; init; }
    public required IReadOnlyList<SharedPart> Shares { get; init; }
    public required SharingGround Ground { get; init; }
    public required ReferralStatus Status { get; init; }
    public required string SentBy { get; init; }
    public DateTimeOffset DraftedAt { get; init; }
    public DateTimeOffset? SentAt { get; init; }
    public DateTimeOffset? ReceivedAt { get; init; }
    public DateTimeOffset? AcceptedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public string? DeclineReason { get; init; }
    public string? LastNote { get; init; }
    public long Version { get; set; }

    /// <summary>
    /// What the partner may read of the case now: the parts this referral shares, while it is under
    /// way. Declined, completed, cancelled or revoked, the partner keeps the referral and its own
    /// answers but no longer sees the minor: only what is strictly necessary, while it is.
    /// </summary>
    public bool IsShared(SharedPart part) => IsUnderWay && Shares.Contains(part);

    /// <summary>
    /// Whether the referral ever reached its partner. A partner sees a referral, and hears of its
    /// changes, from the moment it was sent and never before: a draft, and a draft cancelled
    /// without being sent, are the cell's alone, whatever its status says now.
    /// </summary>
    public bool WasSent => SentAt is not null;

    /// <summary>Sent and not yet declined, completed, cancelled or revoked.</summary>
    public bool IsUnderWay => Status is ReferralStatus.Sent or ReferralStatus.Received or ReferralStatus.Accepted or ReferralStatus.InProgress;

    /// <summary>A partner linked by an accepted referral may report a disappearance or a return for the minor.</summary>
    public bool LinksPartner => Status is ReferralStatus.Accepted or ReferralStatus.InProgress;

    public static Referral? Evolve(Referral? state, IReferralEvent e) => e switch
    {
        ReferralDrafted d => new Referral
        {
            Id = d.ReferralId, CaseId = d.CaseId, PartnerId = d.PartnerId, Reason = d.Reason, Shares = d.Shares, Ground = d.Ground,
            Status = ReferralStatus.Draft, SentBy = d.Provenance.RecordedBy.Id, DraftedAt = d.Provenance.RecordedAt,
        },
        _ when state is null => null,
        // The sender is whoever sent it (a colleague may send a draft): the one who may revoke it besides the head.
        ReferralSharingGroundStated x => state with { Ground = x.Ground },
        ReferralSent x => state with { Status = ReferralStatus.Sent, SentAt = x.Provenance.OccurredAt, SentBy = x.Provenance.RecordedBy.Id },
        ReferralReceived x => state with { Status = ReferralStatus.Received, ReceivedAt = x.Provenance.OccurredAt },
        ReferralAccepted x => state with { Status = ReferralStatus.Accepted, AcceptedAt = x.Provenance.OccurredAt },
        ReferralDeclined x => state with { Status = ReferralStatus.Declined, DeclineReason = x.Reason, ClosedAt = x.Provenance.OccurredAt },
        ReferralProgressUpdated x => state with { Status = ReferralStatus.InProgress, LastNote = x.Note },
        ReferralCompleted x => state with { Status = ReferralStatus.Completed, LastNote = x.Note, ClosedAt = x.Provenance.OccurredAt },
        ReferralCancelled x => state with { Status = ReferralStatus.Cancelled, ClosedAt = x.Provenance.OccurredAt },
        ReferralRevoked x => state with { Status = ReferralStatus.Revoked, ClosedAt = x.Provenance.OccurredAt },
        _ => state,
    };

    /// <summary>Not received, or received but not accepted, within the delay in working days: due for follow-up.</summary>
    public DateTimeOffset? FollowUpDueAt(int workingDays) => Status switch
    {
        ReferralStatus.Sent => WorkingDays.Add(SentAt!.Value, workingDays),
        ReferralStatus.Received => WorkingDays.Add(ReceivedAt!.Value, workingDays),
        _ => null,
    };
}

public static class WorkingDays
{
    /// <summary>Adds working days (Monday to Friday; public holidays are not known here).</summary>
    public static DateTimeOffset Add(DateTimeOffset start, int days)
    {
        var t = start;
        while (days > 0)
        {
            t = t.AddDays(1);
            if (t.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)) days--;
        }
        return t;
    }
}
