using Pare.Cell.Domain.Alerts;
using Pare.Cell.Domain.Assessments;
using Pare.Cell.Domain.Episodes;
using Pare.Cell.Domain.Policies;
using Pare.Cell.Domain.Reminders;

namespace Pare.Cell.Domain.Cases;

public enum CaseStatus
{
    Open,
    Closed,
}

/// <summary>
/// The state of one case, folded from its events. It is both what deciders decide on and the
/// inline snapshot the API reads, so a write costs one row read and a read costs one row.
/// Episode details (each contact, sighting…) are not kept here: they are read from the stream.
/// </summary>
public sealed record Case
{
    public required Guid Id { get; init; }
    public required string Reference { get; init; }
    public required MinorIdentity Minor { get; init; }
    public required Placement Placement { get; init; }
    public required string AssignedWorkerId { get; init; }

    /// <summary>Set while the assigned worker is deactivated in the staff directory: nobody reachable follows the case.</summary>
    public DateTimeOffset? AssignedWorkerDeactivatedAt { get; init; }
    public IReadOnlyList<GuardianContact> Guardians { get; init; } = [];
    public MinorProfile Profile { get; init; } = MinorProfile.Empty;
    public required CaseStatus Status { get; init; }
    public ClosureReason? ClosureReason { get; init; }
    public required DateTimeOffset OpenedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public required DateTimeOffset LastActivityAt { get; init; }
    public IReadOnlyList<EpisodeSummary> Episodes { get; init; } = [];

    /// <summary>The latest risk level set by an assessment (null until the first one).</summary>
    public RiskLevel? RiskLevel { get; init; }

    /// <summary>Every assessment's score and levels, oldest first: the trend.</summary>
    public IReadOnlyList<RiskPoint> RiskTrend { get; init; } = [];

    /// <summary>The level the latest assessment before a moment set (null if none was made by then): what figures of a past period count.</summary>
    public RiskLevel? RiskLevelAt(DateTimeOffset moment) => RiskTrend.Where(p => p.AssessedAt < moment).MaxBy(p => p.AssessedAt)?.Final;

    /// <summary>3 months after an assessment at risk or in situation, 6 months otherwise.</summary>
    public DateTimeOffset? ReassessmentDueAt { get; init; }

    /// <summary>Set when a return interview revealed risk indicators after the last assessment.</summary>
    public DateTimeOffset? ReassessmentSuggestedAt { get; init; }

    public DateTimeOffset? LastReviewedAt { get; init; }

    /// <summary>Set when retention masked the case's personal data (two years after closure).</summary>
    public DateTimeOffset? ArchivedAt { get; init; }

    /// <summary>Reminder keys snoozed, overdue (recorded by the job) and escalated to the head.</summary>
    public IReadOnlyDictionary<string, Snooze> Snoozes { get; init; } = new Dictionary<string, Snooze>();
    public IReadOnlyList<string> OverdueReminders { get; init; } = [];
    public IReadOnlyList<string> EscalatedReminders { get; init; } = [];

    /// <summary>Reminders recorded overdue and not yet fulfilled: what the caseload counts.</summary>
    public int OpenOverdueReminders { get; init; }

    /// <summary>Every prosecutor alert raised for this case, oldest first.</summary>
    public IReadOnlyList<AlertState> Alerts { get; init; } = [];

    /// <summary>The episode during which the minor is missing, if any (at most one).</summary>
    public Guid? MissingEpisodeId { get; init; }

    /// <summary>
    /// Versions of the entries withdrawn or amended by a correction (rare). What an entry was is
    /// read from its event when a correction names it: the snapshot, read and rewritten on every
    /// command, does not grow with every contact.
    /// </summary>
    public IReadOnlyList<long> CorrectedVersions { get; init; } = [];

    /// <summary>Stream version; set by the event store after each event, never by domain code.</summary>
    public long Version { get; set; }

    /// <summary>
    /// How many of the stream's events are <see cref="ISystemRecord"/>s (deliveries, escalations,
    /// reminder bookkeeping…), counted since this count was kept (snapshots from before read 0).
    /// </summary>
    public long SystemRecords { get; init; }

    /// <summary>
    /// The case's version as its readers see it, the one its ETag carries and If-Match names: the
    /// stream's version less the system's own records, so that only what changes the case's
    /// representation changes it. It only grows. Entries keep their stream versions (a correction
    /// names one, the timeline lists them).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long Revision => Version - SystemRecords;

    public EpisodeSummary? Episode(Guid episodeId) => Episodes.FirstOrDefault(e => e.Id == episodeId);

    public AlertState? Alert(Guid alertId) => Alerts.FirstOrDefault(a => a.AlertId == alertId);

    public static Case FromOpening(CaseOpened opened) => new()
    {
        Id = opened.CaseId,
        Reference = opened.Reference,
        Minor = opened.Minor,
        Placement = opened.Placement,
        AssignedWorkerId = opened.AssignedWorkerId,
        Status = CaseStatus.Open,
        OpenedAt = opened.Provenance.OccurredAt,
        LastActivityAt = opened.Provenance.RecordedAt,
    };

    public static Case? Evolve(Case? state, ICaseEvent @event)
    {
        var next = Next(state, @event);
        if (next is null || next.OverdueReminders.Count == 0) return next;
        var owed = ReminderRules.OwedKeys(next);
        return next with { OpenOverdueReminders = next.OverdueReminders.Count(owed.Contains) };
    }

    // Not named Apply: Marten would take it for a conventional projection method beside CaseProjection.Evolve.
    private static Case? Next(Case? state, ICaseEvent @event)
    {
        if (@event is CaseOpened opened) return FromOpening(opened);
        if (state is null) return null;
        var next = @event is ISystemRecord
            ? state with { SystemRecords = state.SystemRecords + 1 }
            : state with { LastActivityAt = Max(state.LastActivityAt, @event.Provenance.RecordedAt) };
        return @event switch
        {
            WorkerAssigned e => next with { AssignedWorkerId = e.WorkerId, AssignedWorkerDeactivatedAt = null },
            AssignedWorkerDeactivated e => next with { AssignedWorkerDeactivatedAt = e.Provenance.OccurredAt },
            AssignedWorkerReactivated => next with { AssignedWorkerDeactivatedAt = null },
            PlacementChanged e => next with { Placement = e.Placement },
            GuardianContactsUpdated e => next with { Guardians = e.Guardians },
            MinorProfileUpdated e => next with { Profile = e.Profile },
            CaseClosed e => next with { Status = CaseStatus.Closed, ClosureReason = e.Reason, ClosedAt = e.Provenance.OccurredAt },
            CaseReopened => next with { Status = CaseStatus.Open, ClosureReason = null, ClosedAt = null },
            RunawayReported e => next with
            {
                Episodes = [.. next.Episodes, EpisodeSummary.Reported(e)],
                MissingEpisodeId = e.EpisodeId,
            },
            PastEpisodeRecorded e => next with { Episodes = [.. next.Episodes, EpisodeSummary.RecordedAfterTheFact(e)] },
            EpisodeContactLogged e => next.WithEpisode(e.EpisodeId, ep => ep with
                {
                    ContactCount = ep.ContactCount + 1,
                    LastContactAt = e.With.MaintainsTheLink() ? Max(ep.LastContactAt, e.Provenance.OccurredAt) : ep.LastContactAt,
                }),
            SightingReported e => next.WithEpisode(e.EpisodeId, ep => ep with { SightingCount = ep.SightingCount + 1 }),
            EpisodeInformationAdded e => next.WithEpisode(e.EpisodeId, ep => ep with
                {
                    ThirdPartySuspected = ep.ThirdPartySuspected || e.Signs.ThirdPartySuspected,
                    DangerDeclared = ep.DangerDeclared || e.Signs.DangerDeclared,
                }),
            EpisodeBecameWorrying e => next.WithEpisode(e.EpisodeId, ep => ep with
                {
                    Classification = RunawayClassification.WorryingDisappearance, AlertId = e.AlertId, LoweredByHead = false, OverruledCriteria = null,
                }) with
            {
                Alerts = [.. next.Alerts, new AlertState(e.AlertId, e.EpisodeId, e.Provenance.RecordedAt, null, null, null, false, false)],
            },
            EpisodeClassificationLowered e => next.WithEpisode(e.EpisodeId, ep => ep with
                {
                    Classification = e.Classification, LoweredByHead = true, OverruledCriteria = e.Overruled,
                }),
            // Delivered means the e-mail, the message that carries the profile: a webhook (ids only) answering first
            // must not stop the e-mail's failures being recorded, nor its escalation to the head.
            ProsecutorAlertDelivered { Channel: AlertChannel.Email } e => next.WithAlert(e.AlertId, a => a with { DeliveredAt = a.DeliveredAt ?? e.Provenance.OccurredAt }),
            ProsecutorAlertDelivered e => next.WithAlert(e.AlertId, a => a with { WebhookDeliveredAt = a.WebhookDeliveredAt ?? e.Provenance.OccurredAt }),
            ProsecutorAlertEscalated e => next.WithAlert(e.AlertId, a => a with { EscalatedAt = e.Provenance.OccurredAt }),
            ProsecutorAlertAcknowledged e => next.WithAlert(e.AlertId, a => a with { AcknowledgedAt = e.Provenance.OccurredAt }),
            ProsecutorAlertUnacknowledged e => next.WithAlert(e.AlertId, a => a with { AcknowledgementOverdue = true }),
            FoundNoticeDelivered e => next.WithAlert(e.AlertId, a => a with { FoundNoticeDelivered = true }),
            ReturnRecorded e => next.WithEpisode(e.EpisodeId, ep => ep with { ReturnedAt = e.ReturnedAt, Status = EpisodeStatus.Returned, ReturnMode = e.How, InterviewDueAt = e.ReturnedAt + AssessmentDecider.InterviewDueAfterReturn }) with
            {
                MissingEpisodeId = next.MissingEpisodeId == e.EpisodeId ? null : next.MissingEpisodeId,
            },
            EpisodeClosed e => next.WithEpisode(e.EpisodeId, ep => ep with { Status = EpisodeStatus.Closed, ClosedAt = e.Provenance.OccurredAt }),
            EntryCorrected e => next.Corrected(e),
            ReturnInterviewRecorded e => next.WithEpisode(e.EpisodeId, ep => ep with { Interview = InterviewStatus.Held, InterviewHeldAt = e.Provenance.OccurredAt }) with
            {
                ReassessmentSuggestedAt = e.RevealedIndicators.Count > 0 ? e.Provenance.RecordedAt : next.ReassessmentSuggestedAt,
            },
            ReminderSnoozed e => next with { Snoozes = new Dictionary<string, Snooze>(next.Snoozes) { [e.Key] = new Snooze(e.Until, e.Reason) } },
            ReminderOverdue e => next with { OverdueReminders = [.. next.OverdueReminders.Where(k => k != e.Key), e.Key] },
            ReminderEscalated e => next with { EscalatedReminders = [.. next.EscalatedReminders.Where(k => k != e.Key), e.Key] },
            CaseReviewed e => next with { LastReviewedAt = e.Provenance.OccurredAt },
            Retention.CaseArchived e => next with { ArchivedAt = e.Provenance.OccurredAt },
            ReturnInterviewNotHeld e => next.WithEpisode(e.EpisodeId, ep => ep with { Interview = InterviewStatus.NotHeld }),
            RiskAssessed e => next with
            {
                RiskLevel = e.FinalLevel,
                RiskTrend = [.. next.RiskTrend, new RiskPoint(e.AssessmentId, e.Provenance.OccurredAt, e.Score, e.SuggestedLevel, e.FinalLevel)],
                ReassessmentDueAt = RiskScoring.ReassessmentDue(e.FinalLevel, e.Provenance.OccurredAt),
                ReassessmentSuggestedAt = null,
            },
            _ => next,
        };
    }

    private Case Corrected(EntryCorrected correction)
    {
        var next = this with { CorrectedVersions = [.. CorrectedVersions, correction.CorrectedVersion] };
        var episodeId = correction.EpisodeId;
        var times = correction.Times;
        return correction.Kind switch
        {
            EntryKind.Contact => next.WithEpisode(episodeId, ep => ep with { ContactCount = ep.ContactCount - 1 }),
            EntryKind.Sighting => next.WithEpisode(episodeId, ep => ep with { SightingCount = ep.SightingCount - 1 }),
            EntryKind.RunawayReport when times is not null => next.WithEpisode(episodeId, ep => ep with
            {
                LastSeenAt = times.LastSeenAt ?? ep.LastSeenAt,
                LastSeenPlace = times.LastSeenPlace ?? ep.LastSeenPlace,
            }),
            EntryKind.Return when times?.ReturnedAt is { } returnedAt => next.WithEpisode(episodeId, ep => ep with { ReturnedAt = returnedAt }),
            EntryKind.PastEpisode when times is not null => next.WithEpisode(episodeId, ep => ep with
            {
                LastSeenAt = times.LastSeenAt ?? ep.LastSeenAt,
                LastSeenPlace = times.LastSeenPlace ?? ep.LastSeenPlace,
                ReturnedAt = times.ReturnedAt ?? ep.ReturnedAt,
            }),
            // Withdrawn: the episode never happened, it leaves the facts.
            EntryKind.PastEpisode => next with { Episodes = [.. next.Episodes.Where(e => e.Id != episodeId)] },
            _ => next,
        };
    }

    private Case WithAlert(Guid alertId, Func<AlertState, AlertState> change) =>
        this with { Alerts = [.. Alerts.Select(a => a.AlertId == alertId ? change(a) : a)] };

    private Case WithEpisode(Guid episodeId, Func<EpisodeSummary, EpisodeSummary> change) =>
        this with { Episodes = [.. Episodes.Select(e => e.Id == episodeId ? change(e) : e)] };

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
    private static DateTimeOffset Max(DateTimeOffset? a, DateTimeOffset b) => a is { } x && x > b ? x : b;
}

public enum EpisodeStatus
{
    /// <summary>The minor is missing.</summary>
    Missing,
    /// <summary>The minor is back; the episode awaits its wrap-up (return interview…).</summary>
    Returned,
    Closed,
}

public sealed record EpisodeSummary(
    Guid Id,
    DateTimeOffset LastSeenAt,
    string LastSeenPlace,
    DateTimeOffset ReportedAt,
    RunawayClassification Classification,
    EpisodeStatus Status,
    DateTimeOffset? ReturnedAt,
    DateTimeOffset? ClosedAt,
    int ContactCount,
    /// <summary>The last contact or attempt with the minor, the family or peers (<see cref="ContactParties.MaintainsTheLink"/>).</summary>
    DateTimeOffset? LastContactAt,
    int SightingCount)
{
    public bool ThirdPartySuspected { get; init; }
    public bool DangerDeclared { get; init; }

    /// <summary>A past episode entered with its start and end at once (<see cref="PastEpisodeRecorded"/>).</summary>
    public bool AfterTheFact { get; init; }

    /// <summary>The head lowered a worrying classification: the policy raises it again only on a criterion the head did not overrule.</summary>
    public bool LoweredByHead { get; init; }

    /// <summary>While lowered: the criteria that matched when the head lowered it (<see cref="EpisodeClassificationLowered.Overruled"/>); null when not recorded, and then nothing raises it again.</summary>
    public IReadOnlyList<WorryingCriterion>? OverruledCriteria { get; init; }

    /// <summary>The alert raised when the episode last became worrying.</summary>
    public Guid? AlertId { get; init; }

    public InterviewStatus Interview { get; init; } = InterviewStatus.Due;

    /// <summary>72 hours after the return (null while the minor is missing).</summary>
    public DateTimeOffset? InterviewDueAt { get; init; }

    public DateTimeOffset? InterviewHeldAt { get; init; }

    /// <summary>How the minor came back.</summary>
    public ReturnMode? ReturnMode { get; init; }

    public static EpisodeSummary Reported(RunawayReported e) =>
        new(e.EpisodeId, e.LastSeenAt, e.LastSeenPlace, e.Provenance.RecordedAt, e.Classification, EpisodeStatus.Missing, null, null, 0, null, 0)
        {
            ThirdPartySuspected = e.Signs.ThirdPartySuspected,
            DangerDeclared = e.Signs.DangerDeclared,
        };

    public static EpisodeSummary RecordedAfterTheFact(PastEpisodeRecorded e) =>
        new(e.EpisodeId, e.LastSeenAt, e.LastSeenPlace ?? "", e.Provenance.RecordedAt, e.Classification, EpisodeStatus.Closed, e.ReturnedAt,
            e.Provenance.RecordedAt, 0, null, 0)
        {
            AfterTheFact = true,
            Interview = InterviewStatus.NotOwed,
            ReturnMode = e.How,
        };

    /// <summary>How long the minor has been (or was) missing.</summary>
    public TimeSpan MissingFor(DateTimeOffset now)
    {
        var end = ReturnedAt ?? now;
        return end > LastSeenAt ? end - LastSeenAt : TimeSpan.Zero;
    }
}

public enum EntryKind
{
    RunawayReport,
    Contact,
    Sighting,
    Information,
    Return,
    PastEpisode,
}

/// <summary>A recorded fact a correction may name: what it was, and in which episode.</summary>
public sealed record CorrectableEntry(EntryKind Kind, Guid EpisodeId)
{
    /// <summary>The entry an event records, or null when a correction cannot name that event.</summary>
    public static CorrectableEntry? Of(ICaseEvent? @event) => @event switch
    {
        RunawayReported e => new(EntryKind.RunawayReport, e.EpisodeId),
        EpisodeContactLogged e => new(EntryKind.Contact, e.EpisodeId),
        SightingReported e => new(EntryKind.Sighting, e.EpisodeId),
        EpisodeInformationAdded e => new(EntryKind.Information, e.EpisodeId),
        ReturnRecorded e => new(EntryKind.Return, e.EpisodeId),
        PastEpisodeRecorded e => new(EntryKind.PastEpisode, e.EpisodeId),
        _ => null,
    };
}
