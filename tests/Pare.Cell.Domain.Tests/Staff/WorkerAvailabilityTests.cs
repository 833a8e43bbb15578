using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Reminders;
using static Pare.Cell.Domain.Tests.Sample;

namespace Pare.Cell.Domain.Tests.Staff;

/// <summary>A head deactivates someone in the staff directory: what each case they follow records, and owes.</summary>
public sealed class WorkerAvailabilityTests
{
    private static AssignedWorkerDeactivated Deactivated(DateTimeOffset at) => new(CaseId, "worker-1", Provenance.Now(Head, at));

    [Fact]
    public void Deactivating_the_case_s_worker_is_recorded_once() =>
        DeciderScenario.Given(Opened())
            .When(new RecordWorkerAvailability("worker-1", false, Head, Now))
            .Then(Deactivated(Now));

    [Fact]
    public void Deactivating_them_again_or_someone_else_records_nothing()
    {
        DeciderScenario.Given(Opened(), Deactivated(Now)).When(new RecordWorkerAvailability("worker-1", false, Head, Now.AddHours(1))).Then();
        DeciderScenario.Given(Opened()).When(new RecordWorkerAvailability("worker-2", false, Head, Now)).Then();
    }

    [Fact]
    public void A_closed_case_records_it_too_so_that_reopened_it_shows_nobody_reachable() =>
        DeciderScenario.Given(Opened(), new CaseClosed(CaseId, ClosureReason.NoLongerAtRisk, null, At(Now.AddDays(-1))))
            .When(new RecordWorkerAvailability("worker-1", false, Head, Now))
            .Then(Deactivated(Now));

    [Fact]
    public void Reactivated_before_a_reassignment_the_worker_follows_the_case_again()
    {
        DeciderScenario.Given(Opened(), Deactivated(Now))
            .When(new RecordWorkerAvailability("worker-1", true, Head, Now.AddHours(1)))
            .Then(new AssignedWorkerReactivated(CaseId, "worker-1", Provenance.Now(Head, Now.AddHours(1))));
        DeciderScenario.Fold([Opened(), Deactivated(Now), new AssignedWorkerReactivated(CaseId, "worker-1", Provenance.Now(Head, Now))])!
            .AssignedWorkerDeactivatedAt.ShouldBeNull();
    }

    [Fact]
    public void The_head_is_reminded_to_reassign_and_holds_the_worker_s_reminders_until_then()
    {
        var history = new ICaseEvent[] { Opened(), Reported(), Deactivated(Now) };
        var reminders = ReminderRules.Derive(DeciderScenario.Fold(history)!, ReminderSettings.Defaults, []);

        var reassign = reminders.Single(r => r.Rule == ReminderRule.Reassignment);
        reassign.Owner.ShouldBe(Reminder.HeadOwner);
        reassign.DueAt.ShouldBe(Now);
        reminders.Single(r => r.Rule == ReminderRule.ContactAttempt).Owner.ShouldBe(Reminder.HeadOwner);

        var reassigned = ReminderRules.Derive(DeciderScenario.Fold([.. history,
            new WorkerAssigned(CaseId, "worker-2", "worker-1", null, Provenance.Now(Head, Now.AddHours(1)))])!, ReminderSettings.Defaults, []);
        reassigned.ShouldNotContain(r => r.Rule == ReminderRule.Reassignment);
        reassigned.Single(r => r.Rule == ReminderRule.ContactAttempt).Owner.ShouldBe("worker-2");
    }
}
