using FluentValidation;
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
/// the case reference and what to do; when I am on call, also the reminders about a missing minor
/// that fall to me outside office hours, whoever follows the case. A head sees the whole cell's,
/// optionally for one worker (theirs and those they hold on call).
/// </summary>
/// <param name="Worker">For a head: only this worker's reminders (the whole cell's when absent). A worker always sees their own.</param>
public sealed record GetReminderInbox(string? Worker) : IQuery<ReminderInbox>;

public sealed class GetReminderInboxValidator : AbstractValidator<GetReminderInbox>
{
    public GetReminderInboxValidator() => RuleFor(q => q.Worker).MaximumLength(100);
}

public sealed record ReminderInbox(DateTimeOffset AsOf, IReadOnlyList<ReminderItem> Overdue, IReadOnlyList<ReminderItem> DueToday, IReadOnlyList<ReminderItem> Upcoming);

/// <param name="CaseId">The case it is about; null for a reminder about the cell (a gap in the on-call rota).</param>
/// <param name="OnCall">The person on call who holds it too: a reminder about a missing minor, to act on outside office hours.</param>
public sealed record ReminderItem(
    string Key,
    ReminderRule Rule,
    string ToDo,
    Guid? CaseId,
    string? CaseReference,
    string? AssignedWorkerId,
    string Owner,
    DateTimeOffset DueAt,
    DateTimeOffset? SnoozedUntil,
    string? SnoozeReason,
    bool Escalated,
    string? OnCall = null)
{
    public static ReminderItem Of(Reminder r, Case state, string? onCall = null) => new(r.Key, r.Rule, ToDoText(r.Rule).ToString(), r.CaseId,
        state.Reference, state.AssignedWorkerId, r.Owner, r.DueAt, r.SnoozedUntil, r.SnoozeReason, r.Escalated, onCall);

    /// <summary>Nobody reachable on call for a while in the next 7 days: the head completes the rota.</summary>
    public static ReminderItem Gap(Domain.Staff.OnCallGap gap) => new($"on-call-gap:{gap.From.ToUnixTimeSeconds()}", ReminderRule.OnCallGap,
        new Bilingual($"Complete the on-call rota: nobody is on call from {InEnglish(gap.From)} to {InEnglish(gap.Until)}.",
            $"Compléter le planning d'astreinte : personne n'est d'astreinte du {Alerts.InFrench.Time(gap.From)} au {Alerts.InFrench.Time(gap.Until)}.").ToString(),
        null, null, null, Reminder.HeadOwner, gap.From, null, null, false);

    /// <summary>A partner's webhook given up: the head checks the partner's endpoint (its delivery log says why).</summary>
    public static ReminderItem DeadWebhook(Guid messageId, Guid partnerId, string partnerName, DateTimeOffset deadAt) => new($"webhook-dead:{messageId}",
        ReminderRule.PartnerWebhookDead,
        new Bilingual($"Check the webhook of partner {partnerName}: a message was given up (delivery log of partner {partnerId}).",
            $"Vérifier le webhook du partenaire {partnerName} : un message a été abandonné (journal de livraison du partenaire {partnerId}).").ToString(),
        null, null, null, Reminder.HeadOwner, deadAt, null, null, false);

    private static string InEnglish(DateTimeOffset instant)
    {
        var local = CellTime.ToLocal(instant);
        return $"{local.ToString("dddd d MMMM yyyy, HH:mm", System.Globalization.CultureInfo.GetCultureInfo("en-GB"))} (UTC{local.Offset:\\+hh\\:mm})";
    }

    public static Bilingual ToDoText(ReminderRule rule) => rule switch
    {
        ReminderRule.ReturnInterview => new("Hold the return interview.", "Tenir l'entretien de retour."),
        ReminderRule.ContactAttempt => new("Try to reach the minor or the family: log the contact or the attempt.", "Tenter de joindre le ou la mineur·e ou la famille : consigner le contact ou la tentative."),
        ReminderRule.RiskReassessment => new("Reassess the prostitution risk.", "Réévaluer le risque prostitutionnel."),
        ReminderRule.CaseReview => new("Review the case: repeated runaways.", "Faire le point sur le dossier : fugues répétées."),
        ReminderRule.OnCallGap => new("Complete the on-call rota.", "Compléter le planning d'astreinte."),
        ReminderRule.Reassignment => new("Reassign the case: its worker was deactivated.", "Réattribuer le dossier : son ou sa travailleur·se social·e a été désactivé·e."),
        ReminderRule.PartnerWebhookDead => new("Check the partner's webhook: a message was given up.", "Vérifier le webhook du partenaire : un message a été abandonné."),
        ReminderRule.ReferralFollowUp => new("Follow up the referral: not received or not accepted by the partner.", "Relancer l'orientation : non reçue ou non acceptée par le partenaire."),
        _ => new("Call the prosecutor's office: the alert is not acknowledged.", "Appeler le parquet : le signalement n'a pas d'accusé de réception."),
    };
}

public sealed class GetReminderInboxHandler(IQuerySession session, CurrentUser user, TimeProvider clock, AccessJournal journal, OnCall.OnCallDuty onCall,
    Npgsql.NpgsqlDataSource dataSource)
    : IQueryHandler<GetReminderInbox, ReminderInbox>
{
    public async ValueTask<ReminderInbox> Handle(GetReminderInbox query, CancellationToken cancellationToken)
    {
        var settings = (await CellPolicies.LoadAsync(session, cancellationToken)).EffectiveReminders;
        var forWorker = user.IsHead ? query.Worker : user.UserId;
        var duty = await onCall.ReadAsync(session, cancellationToken);
        var cases = session.Query<Case>().Where(c => c.Status == CaseStatus.Open);
        // On call, a worker may hold reminders of any case whose minor is missing (few at a time).
        if (forWorker is not null)
            cases = duty.InUse ? cases.Where(c => c.AssignedWorkerId == forWorker || c.MissingEpisodeId != null) : cases.Where(c => c.AssignedWorkerId == forWorker);
        var states = await cases.ToListAsync(cancellationToken);

        var now = clock.GetUtcNow();
        var localNow = CellTime.ToLocal(now);
        var midnight = localNow.Date.AddDays(1);
        var endOfToday = new DateTimeOffset(midnight, CellTime.Zone.GetUtcOffset(midnight)); // tomorrow's offset: DST changes overnight
        var horizon = now.AddDays(7);
        var byId = states.ToDictionary(s => s.Id);
        var referrals = await ReferralsAwaitingAnswer.ForCasesAsync(session, byId.Keys, cancellationToken);
        var items = states
            .SelectMany(state => ReminderRules.Derive(state, settings, [.. referrals[state.Id]]).Select(r => (Reminder: r, State: state,
                OnCall: state.MissingEpisodeId is null ? null : duty.HolderOfMissingMinorReminder(r.EffectiveDueAt, now))))
            .Where(x => forWorker is null || x.OnCall == forWorker
                || x.State.AssignedWorkerId == forWorker && (user.IsHead || x.Reminder.Owner == user.UserId))
            .Select(x => (DueAt: x.Reminder.EffectiveDueAt, Item: ReminderItem.Of(x.Reminder, x.State, x.OnCall)))
            .Concat(user.IsHead && query.Worker is null ? RotaGaps(duty, now, horizon) : [])
            .Concat(user.IsHead && query.Worker is null ? await DeadWebhooksAsync(now, cancellationToken) : [])
            .Where(x => x.DueAt <= horizon)
            .OrderBy(x => x.DueAt)
            .ToList();
        await journal.RecordAsync(user, [.. items.Where(x => x.Item.CaseId is not null).Select(x => x.Item.CaseId!.Value).Distinct()], JournalActions.ReminderInbox, cancellationToken);
        return new ReminderInbox(
            now,
            [.. items.Where(x => x.DueAt <= now).Select(x => x.Item)],
            [.. items.Where(x => x.DueAt > now && x.DueAt < endOfToday).Select(x => x.Item)],
            [.. items.Where(x => x.DueAt >= endOfToday).Select(x => x.Item)]);
    }

    /// <summary>For the head: each partner webhook given up in the last 7 days, due from when it was.</summary>
    private async Task<IEnumerable<(DateTimeOffset DueAt, ReminderItem Item)>> DeadWebhooksAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            select alert_id, case_id, dead_at from pare.alert_outbox
            where cell_id = $1 and kind = 'ReferralUpdate' and dead_at > $2 order by dead_at limit 50
            """);
        command.Parameters.Add(new() { Value = user.CellId });
        command.Parameters.Add(new() { Value = now.AddDays(-7) });
        var dead = new List<(Guid MessageId, Guid ReferralId, DateTimeOffset DeadAt)>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
                dead.Add((reader.GetGuid(0), reader.GetGuid(1), reader.GetFieldValue<DateTimeOffset>(2)));
        if (dead.Count == 0) return [];
        var referrals = await session.LoadManyAsync<Domain.Referrals.Referral>(cancellationToken, dead.Select(d => d.ReferralId).Distinct());
        var partnerOf = referrals.ToDictionary(r => r.Id, r => r.PartnerId);
        var partners = (await session.LoadManyAsync<Partners.Partner>(cancellationToken, partnerOf.Values.Distinct())).ToDictionary(p => p.Id);
        return dead.Where(d => partnerOf.ContainsKey(d.ReferralId)).Select(d =>
        {
            var partnerId = partnerOf[d.ReferralId];
            return (d.DeadAt, ReminderItem.DeadWebhook(d.MessageId, partnerId, partners.TryGetValue(partnerId, out var p) ? p.Name : "?", d.DeadAt));
        });
    }

    /// <summary>
    /// For the head, once the cell has a rota: each stretch of the next 7 days nobody reachable is on
    /// call, due (and named) from when it really starts, so that it keeps its key while it lasts.
    /// </summary>
    private static IEnumerable<(DateTimeOffset DueAt, ReminderItem Item)> RotaGaps(OnCall.OnCallPicture picture, DateTimeOffset now, DateTimeOffset horizon)
    {
        if (picture.Rota.Version == 0) return [];
        var since = now.AddDays(-8);
        return Domain.Staff.OnCallSchedule.Gaps(picture.Shifts(since, horizon), since, horizon)
            .Where(g => g.Until > now)
            .Select(g => (g.From, ReminderItem.Gap(g)));
    }
}
