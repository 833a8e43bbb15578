using Marten;
using Mediator;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Database;
using Pare.Cell.Api.Policies;
using Pare.Cell.Api.Referrals;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Reminders;

namespace Pare.Cell.Api.Reminders;

/// <summary>
/// A worker's day: my reminders overdue, due today (Paris time) and in the next 7 days, each with
/// the case reference and what to do. A head sees the whole cell's, optionally for one worker.
/// </summary>
public sealed record GetReminderInbox(string? Worker) : IQuery<ReminderInbox>;

public sealed record ReminderInbox(DateTimeOffset AsOf, IReadOnlyList<ReminderItem> Overdue, IReadOnlyList<ReminderItem> DueToday, IReadOnlyList<ReminderItem> Upcoming);

public sealed record ReminderItem(
    string Key,
    ReminderRule Rule,
    string ToDo,
    Guid CaseId,
    string CaseReference,
    string AssignedWorkerId,
    string Owner,
    DateTimeOffset DueAt,
    DateTimeOffset? SnoozedUntil,
    string? SnoozeReason,
    bool Escalated)
{
    public static ReminderItem Of(Reminder r, Case state) => new(r.Key, r.Rule, ToDoText(r.Rule).ToString(), r.CaseId, state.Reference, state.AssignedWorkerId,
        r.Owner, r.DueAt, r.SnoozedUntil, r.SnoozeReason, r.Escalated);

    public static Bilingual ToDoText(ReminderRule rule) => rule switch
    {
        ReminderRule.ReturnInterview => new("Hold the return interview.", "Tenir l'entretien de retour."),
        ReminderRule.ContactAttempt => new("Try to reach the minor or the family: log the contact or the attempt.", "Tenter de joindre le ou la mineur·e ou la famille : consigner le contact ou la tentative."),
        ReminderRule.RiskReassessment => new("Reassess the prostitution risk.", "Réévaluer le risque prostitutionnel."),
        ReminderRule.CaseReview => new("Review the case: repeated runaways.", "Faire le point sur le dossier : fugues répétées."),
        ReminderRule.Reassignment => new("Reassign the case: its worker was deactivated.", "Réattribuer le dossier : son ou sa travailleur·se social·e a été désactivé·e."),
        ReminderRule.ReferralFollowUp => new("Follow up the referral: not received or not accepted by the partner.", "Relancer l'orientation : non reçue ou non acceptée par le partenaire."),
        _ => new("Call the prosecutor's office: the alert is not acknowledged.", "Appeler le parquet : le signalement n'a pas d'accusé de réception."),
    };
}

public sealed class GetReminderInboxHandler(IQuerySession session, CurrentUser user, TimeProvider clock, AccessJournal journal) : IQueryHandler<GetReminderInbox, ReminderInbox>
{
    public async ValueTask<ReminderInbox> Handle(GetReminderInbox query, CancellationToken cancellationToken)
    {
        var settings = (await CellPolicies.LoadAsync(session, cancellationToken)).EffectiveReminders;
        var forWorker = user.IsHead ? query.Worker : user.UserId;
        var cases = session.Query<Case>().Where(c => c.Status == CaseStatus.Open);
        if (forWorker is not null) cases = cases.Where(c => c.AssignedWorkerId == forWorker);
        var states = await cases.ToListAsync(cancellationToken);

        var now = clock.GetUtcNow();
        var localNow = CellTime.ToLocal(now);
        var midnight = localNow.Date.AddDays(1);
        var endOfToday = new DateTimeOffset(midnight, CellTime.Zone.GetUtcOffset(midnight)); // tomorrow's offset: DST changes overnight
        var horizon = now.AddDays(7);
        var byId = states.ToDictionary(s => s.Id);
        var referrals = await ReferralsAwaitingAnswer.ForCasesAsync(session, byId.Keys, cancellationToken);
        var items = states
            .SelectMany(state => ReminderRules.Derive(state, settings, [.. referrals[state.Id]]))
            .Where(r => user.IsHead || r.Owner == user.UserId)
            .Select(r => (Reminder: r, Item: ReminderItem.Of(r, byId[r.CaseId])))
            .Where(x => x.Reminder.EffectiveDueAt <= horizon)
            .OrderBy(x => x.Reminder.EffectiveDueAt)
            .ToList();
        await journal.RecordAsync(user, [.. items.Select(x => x.Reminder.CaseId).Distinct()], JournalActions.ReminderInbox, cancellationToken);
        return new ReminderInbox(
            now,
            [.. items.Where(x => x.Reminder.EffectiveDueAt <= now).Select(x => x.Item)],
            [.. items.Where(x => x.Reminder.EffectiveDueAt > now && x.Reminder.EffectiveDueAt < endOfToday).Select(x => x.Item)],
            [.. items.Where(x => x.Reminder.EffectiveDueAt >= endOfToday).Select(x => x.Item)]);
    }
}
