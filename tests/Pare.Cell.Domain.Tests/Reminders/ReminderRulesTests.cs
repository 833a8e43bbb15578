using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Episodes;
using Pare.Cell.Domain.Referrals;
using Pare.Cell.Domain.Reminders;
using static Pare.Cell.Domain.Tests.Sample;

namespace Pare.Cell.Domain.Tests.Reminders;

public sealed class ReminderRulesTests
{
    private static readonly ReminderSettings Settings = ReminderSettings.Defaults;

    private static IReadOnlyList<Reminder> Derive(params ICaseEvent[] history) => ReminderRules.Derive(DeciderScenario.Fold([Opened(), .. history])!, Settings, []);

    [Fact]
    public void A_missing_minor_owes_a_contact_attempt_12_hours_after_the_last_contact() =>
        Derive(Reported(), Contact(Now.AddHours(2))).Single(r => r.Rule == ReminderRule.ContactAttempt).DueAt.ShouldBe(Now.AddHours(14));

    [Fact]
    public void A_call_to_a_professional_does_not_put_off_reaching_the_minor_or_the_family()
    {
        var police = Contact(Now.AddHours(2)) with { With = ContactParty.Professional };
        var before = Derive(Reported()).Single(r => r.Rule == ReminderRule.ContactAttempt);
        var after = Derive(Reported(), police).Single(r => r.Rule == ReminderRule.ContactAttempt);
        after.DueAt.ShouldBe(Now.AddHours(12)); // from the report, as if the police had not been called
        after.Key.ShouldBe(before.Key); // the same reminder: its snooze, overdue record and escalation stand
        var family = Contact(Now.AddHours(3)) with { With = ContactParty.ParentOrGuardian };
        Derive(Reported(), police, family).Single(r => r.Rule == ReminderRule.ContactAttempt).DueAt.ShouldBe(Now.AddHours(15));
    }

    [Fact]
    public void A_return_owes_an_interview_within_72_hours_and_the_interview_fulfils_it()
    {
        var returned = Returned(Now);
        Derive(Reported(), returned).Single(r => r.Rule == ReminderRule.ReturnInterview).DueAt.ShouldBe(Now.AddHours(72));
        Derive(Reported(), returned, new Domain.Assessments.ReturnInterviewNotHeld(CaseId, EpisodeId, "Hospitalised", At(Now))).ShouldNotContain(r => r.Rule == ReminderRule.ReturnInterview);
    }

    [Fact]
    public void The_head_owes_a_call_to_the_prosecutor_30_minutes_after_an_alert_s_delivery_or_at_once_when_it_was_escalated_undelivered()
    {
        var alertId = Guid.Parse("01a221e5-4000-7000-8000-000000000001");
        var raised = new Domain.Alerts.EpisodeBecameWorrying(CaseId, EpisodeId, alertId, [], 1, At(Now));
        Reminder Call(params ICaseEvent[] alert) => Derive([Reported(), raised, .. alert]).Single(r => r.Rule == ReminderRule.AlertUnacknowledged);

        Derive(Reported(), raised).ShouldNotContain(r => r.Rule == ReminderRule.AlertUnacknowledged); // still being delivered
        var escalated = new Domain.Alerts.ProsecutorAlertEscalated(CaseId, alertId, At(Now.AddMinutes(10)));
        Call(escalated).ShouldSatisfyAllConditions(r => r.DueAt.ShouldBe(Now.AddMinutes(10)), r => r.Owner.ShouldBe(Reminder.HeadOwner));
        var delivered = new Domain.Alerts.ProsecutorAlertDelivered(CaseId, alertId, Domain.Alerts.AlertChannel.Email, 1, At(Now.AddMinutes(1)));
        Call(delivered).DueAt.ShouldBe(Now.AddMinutes(31));
        Call(escalated, delivered).DueAt.ShouldBe(Now.AddMinutes(31));
        Derive(Reported(), raised, escalated, new Domain.Alerts.ProsecutorAlertAcknowledged(CaseId, alertId, At(Now.AddMinutes(40))))
            .ShouldNotContain(r => r.Rule == ReminderRule.AlertUnacknowledged);
    }

    [Fact]
    public void A_closed_case_owes_nothing() =>
        Derive(Reported(), Returned(Now), new CaseClosed(CaseId, ClosureReason.MovedAway, null, At(Now))).ShouldBeEmpty();

    [Fact]
    public void Following_up_records_overdue_once_and_escalates_after_the_grace_period()
    {
        var history = new ICaseEvent[] { Opened(), Reported(), Returned(Now) };
        var key = Derive(Reported(), Returned(Now)).Single(r => r.Rule == ReminderRule.ReturnInterview).Key;

        var at73h = DeciderScenario.Given(history).When(new FollowUpReminders(Settings, [], Actor.System, Now.AddHours(73))).Events;
        at73h.ShouldHaveSingleItem().ShouldBeOfType<ReminderOverdue>().Key.ShouldBe(key);

        var overdue = (ReminderOverdue)at73h[0];
        DeciderScenario.Given([.. history, overdue]).When(new FollowUpReminders(Settings, [], Actor.System, Now.AddHours(80))).Then();
        DeciderScenario.Given([.. history, overdue]).When(new FollowUpReminders(Settings, [], Actor.System, Now.AddHours(97))).Events
            .ShouldHaveSingleItem().ShouldBeOfType<ReminderEscalated>().Key.ShouldBe(key);
    }

    [Fact]
    public void An_overdue_review_owed_under_the_cells_own_counts_is_counted_until_the_head_reviews()
    {
        // This cell asks for a review after 2 episodes within 30 days, not the default 3.
        var twoEpisodes = Settings with { CaseReviewEpisodes = 2 };
        var second = Guid.Parse("01a221e5-3000-7000-8000-000000000002");
        var history = new ICaseEvent[] { Opened(), Reported(lastSeen: Now.AddDays(-10)), Returned(Now.AddDays(-9)), Reported(second, Now.AddHours(-3)) };
        var review = ReminderRules.Derive(DeciderScenario.Fold(history)!, twoEpisodes, []).Single(r => r.Rule == ReminderRule.CaseReview);

        var followedUp = DeciderScenario.Given(history).When(new FollowUpReminders(twoEpisodes, [], Actor.System, Now)).Events;
        var overdue = followedUp.OfType<ReminderOverdue>().Single(e => e.Key == review.Key);

        DeciderScenario.Fold([.. history, overdue])!.OpenOverdueReminders.ShouldBe(1);
        DeciderScenario.Fold([.. history, overdue, new CaseReviewed(CaseId, null, new Provenance(Head, Now, Now))])!.OpenOverdueReminders.ShouldBe(0);
    }

    [Fact]
    public void The_next_follow_up_moment_is_exactly_when_following_up_starts_recording()
    {
        var second = Guid.Parse("01a221e5-3000-7000-8000-000000000002");
        var interviewKey = Derive(Reported(), Returned(Now)).Single(r => r.Rule == ReminderRule.ReturnInterview).Key;
        ICaseEvent[][] histories =
        [
            [Opened()],
            [Opened(), Reported()],
            [Opened(), Reported(), Contact(Now.AddHours(2))],
            [Opened(), Reported(), Returned(Now)],
            [Opened(), Reported(), Returned(Now), new ReminderSnoozed(CaseId, interviewKey, Now.AddHours(100), "Minor in hospital", At(Now))],
            [Opened(), Reported(lastSeen: Now.AddDays(-10)), Returned(Now.AddDays(-9)), Reported(second, Now.AddHours(-3))],
            [Opened(), Reported(), Returned(Now), new CaseClosed(CaseId, ClosureReason.MovedAway, null, At(Now))],
        ];
        foreach (var settings in new[] { Settings, Settings with { CaseReviewEpisodes = 2, EscalateOverdueAfterHours = 1 } })
        foreach (var referrals in new IReadOnlyCollection<Referral>[] { [], [SentReferral(Now.AddDays(-6))] })
            foreach (var start in histories)
            {
                // Follow up each hour for ten days, as the job would, recording what it decides.
                var history = start.ToList();
                for (var at = Now.AddDays(-1); at <= Now.AddDays(10); at = at.AddHours(1))
                {
                    var state = DeciderScenario.Fold(history)!;
                    var next = ReminderDecider.NextFollowUpAt(state, settings, referrals);
                    var events = ReminderDecider.Decide(new FollowUpReminders(settings, referrals, Actor.System, at), state);
                    (events.Length > 0).ShouldBe(next <= at, $"at {at:O} (next {next:O})");
                    history.AddRange(events);
                }
                if (start.Length > 1 && start[^1] is not CaseClosed) history.Count.ShouldBeGreaterThan(start.Length); // the walk did record something
            }
    }

    private static readonly Guid ReferralId = Guid.Parse("01a221e5-5000-7000-8000-000000000009");

    /// <summary>A referral of the sample case, sent at a moment, through the referral's own decider.</summary>
    private static Referral SentReferral(DateTimeOffset sentAt, params ReferralCommand[] then)
    {
        Referral? state = null;
        ReferralCommand[] commands =
        [
            new DraftReferral(ReferralId, CaseId, Guid.NewGuid(), "Santé", [SharedPart.Identity], new SharingGround(false, true, null), Worker, sentAt),
            new SendReferral(Worker, sentAt), .. then,
        ];
        foreach (var command in commands)
            foreach (var e in ReferralDecider.Decide(command, state)) state = Referral.Evolve(state, e);
        return state!;
    }

    [Fact]
    public void An_unanswered_referral_owes_the_case_s_worker_a_follow_up_after_5_working_days_until_the_partner_accepts()
    {
        var state = DeciderScenario.Fold([Opened(), new WorkerAssigned(CaseId, "worker-2", "worker-1", null, At(Now))])!;
        var friday = new DateTimeOffset(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
        var sent = SentReferral(friday);

        var followUp = ReminderRules.Derive(state, Settings, [sent]).Single(r => r.Rule == ReminderRule.ReferralFollowUp);
        followUp.DueAt.ShouldBe(friday.AddDays(7)); // five working days: the next Friday
        followUp.Owner.ShouldBe("worker-2"); // the case's worker now, not the one who sent it
        followUp.SubjectId.ShouldBe(ReferralId);

        var received = SentReferral(friday, new AcknowledgeReferral(Actor.Partner("pc_1"), friday.AddDays(3)));
        var awaitingAcceptance = ReminderRules.Derive(state, Settings, [received]).Single(r => r.Rule == ReminderRule.ReferralFollowUp);
        awaitingAcceptance.Key.ShouldNotBe(followUp.Key); // a new obligation: its overdue record and snooze start afresh
        awaitingAcceptance.DueAt.ShouldBe(friday.AddDays(10));
        var accepted = SentReferral(friday, new AcceptReferral(Actor.Partner("pc_1"), friday.AddDays(3)));
        ReminderRules.Derive(state, Settings, [accepted]).ShouldNotContain(r => r.Rule == ReminderRule.ReferralFollowUp);
        ReminderRules.Derive(state, Settings, [sent with { CaseId = Guid.NewGuid() }]).ShouldNotContain(r => r.Rule == ReminderRule.ReferralFollowUp);
    }

    [Fact]
    public void An_unanswered_referral_is_recorded_overdue_and_may_be_snoozed_like_any_reminder()
    {
        var sent = SentReferral(Now.AddDays(-8));
        var key = ReminderRules.Derive(DeciderScenario.Fold([Opened()])!, Settings, [sent]).Single().Key;

        var recorded = DeciderScenario.Given(Opened()).When(new FollowUpReminders(Settings, [sent], Actor.System, Now)).Events;
        recorded.OfType<ReminderOverdue>().Single().Key.ShouldBe(key);
        DeciderScenario.Given(Opened()).When(new FollowUpReminders(Settings, [], Actor.System, Now)).Then(); // not known, not owed

        var snoozed = DeciderScenario.Given(Opened()).When(new SnoozeReminder(key, Now.AddDays(2), "Partner on holiday", Settings, [sent], Worker, Now)).Events;
        snoozed.ShouldHaveSingleItem().ShouldBeOfType<ReminderSnoozed>().Key.ShouldBe(key);
    }

    [Fact]
    public void A_snoozed_reminder_is_not_overdue_before_its_new_time()
    {
        var key = Derive(Reported(), Returned(Now)).Single(r => r.Rule == ReminderRule.ReturnInterview).Key;
        var snoozed = new ReminderSnoozed(CaseId, key, Now.AddHours(100), "Minor in hospital", At(Now));
        DeciderScenario.Given(Opened(), Reported(), Returned(Now), snoozed).When(new FollowUpReminders(Settings, [], Actor.System, Now.AddHours(80))).Then();
    }

    [Fact]
    public void A_snooze_beyond_7_days_is_refused() =>
        DeciderScenario.Given(Opened(), Reported())
            .When(new SnoozeReminder(Derive(Reported()).Single().Key, Now.AddDays(8), "Later", Settings, [], Worker, Now))
            .ThenRefused(ReminderRefusals.SnoozeOutOfBounds);
}
