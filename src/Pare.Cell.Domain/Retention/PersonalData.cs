using Pare.Cell.Domain.Alerts;
using Pare.Cell.Domain.Assessments;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Episodes;
using Pare.Cell.Domain.Policies;
using Pare.Cell.Domain.Referrals;
using Pare.Cell.Domain.Reminders;

namespace Pare.Cell.Domain.Retention;

/// <summary>
/// What retention leaves of each event once a case has been closed for two years: the facts that
/// figures count (dates, durations, classifications, levels) stay; names, descriptions, places,
/// contacts and every free text go. The date of birth keeps its year, so an age band survives.
/// </summary>
public static class PersonalData
{
    public const string Removed = "—";

    public static CaseOpened Mask(CaseOpened e) => e with { Minor = new MinorIdentity(Removed, Removed, new DateOnly(e.Minor.DateOfBirth.Year, 1, 1)), Placement = e.Placement with { Establishment = null } };
    public static PlacementChanged Mask(PlacementChanged e) => e with { Placement = e.Placement with { Establishment = null } };
    public static MinorProfileUpdated Mask(MinorProfileUpdated e) => e with { Profile = MinorProfile.Empty };
    public static GuardianContactsUpdated Mask(GuardianContactsUpdated e) => e with { Guardians = [] };
    public static WorkerAssigned Mask(WorkerAssigned e) => e with { Reason = null };
    public static CaseClosed Mask(CaseClosed e) => e with { Note = null };
    public static CaseReopened Mask(CaseReopened e) => e with { Reason = Removed };
    public static EntryCorrected Mask(EntryCorrected e) => e with { Reason = Removed, Times = e.Times is null ? null : e.Times with { LastSeenPlace = null } };
    public static RunawayReported Mask(RunawayReported e) => e with { LastSeenPlace = Removed, ReportedBy = Removed, Circumstances = null, Clothing = null, Companions = null, DestinationHints = null };
    public static PastEpisodeRecorded Mask(PastEpisodeRecorded e) => e with { LastSeenPlace = e.LastSeenPlace is null ? null : Removed, Source = null, Notes = null };
    public static EpisodeContactLogged Mask(EpisodeContactLogged e) => e with { Notes = null, SupportOfferedToFamily = null };
    public static SightingReported Mask(SightingReported e) => e with { Place = Removed, Source = Removed, Details = null };
    public static EpisodeInformationAdded Mask(EpisodeInformationAdded e) => e with { Information = Removed };
    public static ReturnRecorded Mask(ReturnRecorded e) => e with { WhereStayed = null, SafetyCheck = e.SafetyCheck with { Notes = null } };
    public static EpisodeBecameWorrying Mask(EpisodeBecameWorrying e) => e with { Matched = MaskDetails(e.Matched) };

    /// <summary>The criteria an alert matched, without their details (a worker's reason, an age, a health note).</summary>
    public static List<MatchedCriterion> MaskDetails(IEnumerable<MatchedCriterion> matched) => [.. matched.Select(m => m with { Detail = Removed, Value = null })];
    public static EpisodeClassificationLowered Mask(EpisodeClassificationLowered e) => e with { Reason = Removed };
    public static ReturnInterviewRecorded Mask(ReturnInterviewRecorded e) => e with { Answers = new Dictionary<string, System.Text.Json.JsonElement>(), Present = [], MinorsOwnWords = null };
    public static ReturnInterviewNotHeld Mask(ReturnInterviewNotHeld e) => e with { Reason = Removed };
    public static RiskAssessed Mask(RiskAssessed e) => e with { Justification = null };
    public static ReminderSnoozed Mask(ReminderSnoozed e) => e with { Reason = Removed };
    public static CaseReviewed Mask(CaseReviewed e) => e with { Note = null };
    public static ReferralDrafted Mask(ReferralDrafted e) => e with { Reason = Removed, Ground = e.Ground with { LegalBasis = e.Ground.LegalBasis is null ? null : Removed } };
    public static ReferralSharingGroundStated Mask(ReferralSharingGroundStated e) => e with { Ground = e.Ground with { LegalBasis = e.Ground.LegalBasis is null ? null : Removed } };
    public static ReferralDeclined Mask(ReferralDeclined e) => e with { Reason = Removed };
    public static ReferralProgressUpdated Mask(ReferralProgressUpdated e) => e with { Note = Removed };
    public static ReferralCompleted Mask(ReferralCompleted e) => e with { Note = Removed };
    public static ReferralCancelled Mask(ReferralCancelled e) => e with { Reason = Removed };
    public static ReferralRevoked Mask(ReferralRevoked e) => e with { Reason = Removed };
}

/// <summary>The case left the active base: its personal data are masked everywhere.</summary>
public sealed record CaseArchived(Guid CaseId, Provenance Provenance) : ICaseEvent;

public sealed record ArchiveCase(Actor By, DateTimeOffset Now) : CaseCommand(By, Now);

public static class RetentionRules
{
    public static readonly TimeSpan ActiveAfterClosure = TimeSpan.FromDays(2 * 365);

    public static bool IsDue(Case state, DateTimeOffset now) =>
        state.Status == CaseStatus.Closed && state.ArchivedAt is null && state.ClosedAt is { } closed && closed + ActiveAfterClosure <= now;
}
