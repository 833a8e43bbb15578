using Pare.Cell.Domain.Assessments;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Episodes;
using Pare.Cell.Domain.Referrals;

namespace Pare.Cell.Domain.Reminders;

public enum ReminderRule
{
    /// <summary>Return interview due 72 h after the return.</summary>
    ReturnInterview,
    /// <summary>Contact attempt due every N hours while the minor is missing.</summary>
    ContactAttempt,
    /// <summary>Risk reassessment: 3 months at risk or in situation, 6 months otherwise, or now after revealing answers.</summary>
    RiskReassessment,
    /// <summary>Case review for the head after repeated episodes.</summary>
    CaseReview,
    /// <summary>Prosecutor alert not acknowledged in time: for the head.</summary>
    AlertUnacknowledged,
    /// <summary>A referral not received, or not accepted, within its delay in working days: for the case's worker.</summary>
    ReferralFollowUp,
    /// <summary>The case's worker was deactivated: for the head, who reassigns the case.</summary>
    Reassignment,
    /// <summary>Nobody reachable is on call for a while in the next 7 days: for the head, about the cell, not a case.</summary>
    OnCallGap,
    /// <summary>A partner's webhook was given up after its retries: for the head, about the partner, not a case.</summary>
    PartnerWebhookDead,
}

/// <summary>Per-cell delays of the reminder rules (DOMAIN.md defaults).</summary>
public sealed record ReminderSettings(
    int ReturnInterviewHours,
    int ContactEveryHours,
    int CaseReviewEpisodes,
    int CaseReviewWithinDays,
    int EscalateOverdueAfterHours,
    int AlertAcknowledgementMinutes,
    int ReferralFollowUpWorkingDays = 5)
{
    public static ReminderSettings Defaults { get; } = new(72, 12, 3, 30, 24, 30, 5);
}

/// <summary>Who must act: the assigned worker, or the service head (<see cref="HeadOwner"/>).</summary>
public sealed record Reminder(string Key, ReminderRule Rule, Guid CaseId, Guid? SubjectId, string Owner, DateTimeOffset DueAt,
    DateTimeOffset? SnoozedUntil, string? SnoozeReason, bool Overdue, bool Escalated)
{
    public const string HeadOwner = "head";

    /// <summary>When it is next to be acted on: its due time, or later when snoozed.</summary>
    public DateTimeOffset EffectiveDueAt => SnoozedUntil is { } s && s > DueAt ? s : DueAt;
}

/// <summary>
/// Which follow-ups a case owes, derived from its state and its referrals' (each referral is its own
/// stream). Keys name the obligation, not its due time, so a cell changing its delays moves reminders
/// without renaming them (which is derived from its events):
/// nobody creates a reminder by hand, a reminder disappears when the fact that fulfils it is
/// recorded, and a crash or a rebuild can neither lose nor duplicate one. Pure.
/// </summary>
public static class ReminderRules
{
    /// <param name="referrals">The case's referrals (others are ignored): those sent and not yet received, or
    /// received and not yet accepted, owe the case's worker a follow-up after the cell's delay in working days.</param>
    public static IReadOnlyList<Reminder> Derive(Case state, ReminderSettings settings, IReadOnlyCollection<Referral> referrals)
    {
        if (state.Status == CaseStatus.Closed) return []; // a closed case owes nothing: every reminder is cancelled
        var reminders = new List<Reminder>();
        // A deactivated worker reads no inbox: the head holds their reminders until the case is reassigned.
        var worker = state.AssignedWorkerDeactivatedAt is null ? state.AssignedWorkerId : Reminder.HeadOwner;
        if (state.AssignedWorkerDeactivatedAt is { } deactivated)
            reminders.Add(Make(state, $"reassignment:{deactivated.ToUnixTimeSeconds()}", ReminderRule.Reassignment, null, Reminder.HeadOwner, deactivated));

        foreach (var episode in state.Episodes)
        {
            if (episode.Interview == InterviewStatus.Due && episode.ReturnedAt is { } returned)
                reminders.Add(Make(state, $"return-interview:{episode.Id}", ReminderRule.ReturnInterview, episode.Id, worker, returned.AddHours(settings.ReturnInterviewHours)));
            if (episode.Status == EpisodeStatus.Missing)
            {
                var lastTouch = episode.LastContactAt is { } c && c > episode.ReportedAt ? c : episode.ReportedAt;
                var due = lastTouch.AddHours(settings.ContactEveryHours);
                // One instance per contact that maintains the link: the next such contact fulfils this one (a call
                // to a professional, which does not move the due time, does not renew it either).
                reminders.Add(Make(state, $"contact:{episode.Id}:{lastTouch.ToUnixTimeSeconds()}", ReminderRule.ContactAttempt, episode.Id, worker, due));
            }
        }

        if (state.ReassessmentSuggestedAt is { } suggested)
            reminders.Add(Make(state, $"reassessment:{suggested.ToUnixTimeSeconds()}", ReminderRule.RiskReassessment, null, worker, suggested));
        else if (state.ReassessmentDueAt is { } reassess)
            reminders.Add(Make(state, $"reassessment:{reassess.ToUnixTimeSeconds()}", ReminderRule.RiskReassessment, null, worker, reassess));

        // Case review: the episode that made it N within the window, unless the head reviewed the case since.
        var ordered = state.Episodes.OrderBy(e => e.LastSeenAt).ToList();
        for (var i = settings.CaseReviewEpisodes - 1; i < ordered.Count; i++)
        {
            var trigger = ordered[i];
            var first = ordered[i - settings.CaseReviewEpisodes + 1];
            if (trigger.LastSeenAt - first.LastSeenAt > TimeSpan.FromDays(settings.CaseReviewWithinDays)) continue;
            if (state.LastReviewedAt is { } reviewed && reviewed >= trigger.ReportedAt) continue;
            reminders.Add(Make(state, CaseReviewKey(trigger.Id), ReminderRule.CaseReview, trigger.Id, Reminder.HeadOwner, trigger.ReportedAt));
        }

        // The head calls the prosecutor's office about an alert not acknowledged in time after its
        // delivery, and at once about one escalated undelivered: its e-mail to the head may have
        // failed with the alert (the same relay), the inbox does not.
        foreach (var alert in state.Alerts.Where(a => a.AcknowledgedAt is null && (a.DeliveredAt is not null || a.EscalatedAt is not null)))
            reminders.Add(Make(state, $"alert-ack:{alert.AlertId}", ReminderRule.AlertUnacknowledged, alert.AlertId, Reminder.HeadOwner,
                alert.DeliveredAt?.AddMinutes(settings.AlertAcknowledgementMinutes) ?? alert.EscalatedAt!.Value));

        // The case's worker follows a referral up, whoever sent it (the case may have changed hands since);
        // the status is in the key, so receiving an unanswered referral owes a new follow-up, not the same one.
        foreach (var referral in referrals.Where(r => r.CaseId == state.Id))
            if (referral.FollowUpDueAt(settings.ReferralFollowUpWorkingDays) is { } due)
                reminders.Add(Make(state, $"referral:{referral.Id}:{referral.Status}", ReminderRule.ReferralFollowUp, referral.Id, worker, due));

        // Only the latest reminder of a recurring or re-triggered rule stays.
        return reminders.GroupBy(r => (r.Rule, r.SubjectId)).Select(g => g.MaxBy(r => r.DueAt)!).ToList();
    }

    /// <summary>
    /// Keys of the reminders the case still owes, whatever delays its cell set: what the caseload
    /// counts among those recorded overdue (the case's projection knows no cell's settings). Delays
    /// move due times, not keys, except the case-review rule's counts, which decide whether a
    /// review is owed at all; a review once owed stays owed until the head reviews the case.
    /// Referral follow-ups are not among them: the case's projection does not see its referrals'
    /// streams, so it cannot tell when a partner's answer fulfilled one.
    /// </summary>
    public static IReadOnlySet<string> OwedKeys(Case state)
    {
        var keys = Derive(state, ReminderSettings.Defaults, []).Select(r => r.Key).ToHashSet();
        if (state.Status == CaseStatus.Closed) return keys;
        foreach (var episode in state.Episodes)
            if (state.LastReviewedAt is not { } reviewed || reviewed < episode.ReportedAt) keys.Add(CaseReviewKey(episode.Id));
        return keys;
    }

    private static string CaseReviewKey(Guid triggerEpisodeId) => $"case-review:{triggerEpisodeId}";

    private static Reminder Make(Case state, string key, ReminderRule rule, Guid? subject, string owner, DateTimeOffset due)
    {
        state.Snoozes.TryGetValue(key, out var snooze);
        return new Reminder(key, rule, state.Id, subject, owner, due, snooze?.Until, snooze?.Reason, state.OverdueReminders.Contains(key), state.EscalatedReminders.Contains(key));
    }
}

public sealed record Snooze(DateTimeOffset Until, string Reason);

public sealed record ReminderSnoozed(Guid CaseId, string Key, DateTimeOffset Until, string Reason, Provenance Provenance) : ICaseEvent;

/// <summary>Recorded by a job when the reminder's time passed, whether or not anyone was looking.</summary>
public sealed record ReminderOverdue(Guid CaseId, string Key, ReminderRule Rule, DateTimeOffset DueAt, Provenance Provenance) : ISystemRecord;

/// <summary>Still overdue past the grace period: flagged to the service head.</summary>
public sealed record ReminderEscalated(Guid CaseId, string Key, ReminderRule Rule, DateTimeOffset DueAt, Provenance Provenance) : ISystemRecord;

/// <summary>The head reviewed the case (after repeated episodes, or any time).</summary>
public sealed record CaseReviewed(Guid CaseId, string? Note, Provenance Provenance) : ICaseEvent;

/// <param name="Referrals">The case's referrals, as read with the case: their follow-ups are reminders too.</param>
public sealed record SnoozeReminder(string Key, DateTimeOffset Until, string Reason, ReminderSettings Settings, IReadOnlyCollection<Referral> Referrals, Actor By, DateTimeOffset Now) : CaseCommand(By, Now);

/// <param name="Referrals">The case's referrals, as read with the case: their follow-ups are reminders too.</param>
public sealed record FollowUpReminders(ReminderSettings Settings, IReadOnlyCollection<Referral> Referrals, Actor By, DateTimeOffset Now) : CaseCommand(By, Now);

public sealed record ReviewCase(string? Note, Actor By, DateTimeOffset Now) : CaseCommand(By, Now);

public static class ReminderDecider
{
    public static readonly TimeSpan MaxSnooze = TimeSpan.FromDays(7);

    public static ICaseEvent[] Decide(CaseCommand command, Case state) => command switch
    {
        SnoozeReminder c => Snooze(c, state),
        FollowUpReminders c => FollowUp(c, state),
        ReviewCase c => [new CaseReviewed(state.Id, c.Note, Provenance.Now(c.By, c.Now))],
        _ => throw new InvalidOperationException($"No decision for {command.GetType().Name}."),
    };

    private static ICaseEvent[] Snooze(SnoozeReminder c, Case state)
    {
        if (ReminderRules.Derive(state, c.Settings, c.Referrals).All(r => r.Key != c.Key)) throw new RefusedException(ReminderRefusals.NoSuchReminder);
        if (c.Until <= c.Now || c.Until > c.Now + MaxSnooze) throw new RefusedException(ReminderRefusals.SnoozeOutOfBounds);
        return [new ReminderSnoozed(state.Id, c.Key, c.Until, c.Reason, Provenance.Now(c.By, c.Now))];
    }

    /// <summary>Records what became overdue, and escalates what stayed overdue past the grace period. Each once.</summary>
    private static ICaseEvent[] FollowUp(FollowUpReminders c, Case state)
    {
        var events = new List<ICaseEvent>();
        foreach (var reminder in ReminderRules.Derive(state, c.Settings, c.Referrals))
        {
            if (reminder.EffectiveDueAt > c.Now) continue;
            if (!reminder.Overdue) events.Add(new ReminderOverdue(state.Id, reminder.Key, reminder.Rule, reminder.DueAt, Provenance.Now(c.By, c.Now)));
            if (!reminder.Escalated && EscalationDueAt(reminder, c.Settings) <= c.Now)
                events.Add(new ReminderEscalated(state.Id, reminder.Key, reminder.Rule, reminder.DueAt, Provenance.Now(c.By, c.Now)));
        }
        return [.. events];
    }

    /// <summary>
    /// The first moment at which <see cref="FollowUpReminders"/> would record something on this case
    /// under these settings, or null if it never will until the case changes: each reminder's due
    /// time until it is recorded overdue, then the end of its grace period until it is escalated.
    /// The follow-up job reads again only the cases whose moment has come (or that changed since).
    /// </summary>
    public static DateTimeOffset? NextFollowUpAt(Case state, ReminderSettings settings, IReadOnlyCollection<Referral> referrals) =>
        ReminderRules.Derive(state, settings, referrals)
            .Select(r => !r.Overdue ? r.EffectiveDueAt : !r.Escalated ? EscalationDueAt(r, settings) : (DateTimeOffset?)null)
            .Min();

    private static DateTimeOffset EscalationDueAt(Reminder reminder, ReminderSettings settings) =>
        reminder.EffectiveDueAt.AddHours(settings.EscalateOverdueAfterHours);
}

public static class ReminderRefusals
{
    public static readonly Refusal NoSuchReminder = new("reminder-not-found",
        new("This case has no such open reminder.", "Ce dossier n'a pas de relance ouverte de ce type."), RefusalKind.NotFound);

    public static readonly Refusal SnoozeOutOfBounds = new("snooze-out-of-bounds",
        new("Snooze until a time in the next 7 days.", "Reportez à une heure comprise dans les 7 prochains jours."), RefusalKind.Invalid, "until");
}
