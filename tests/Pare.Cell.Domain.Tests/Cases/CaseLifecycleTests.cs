using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Common;
using static Pare.Cell.Domain.Tests.Sample;

namespace Pare.Cell.Domain.Tests.Cases;

public sealed class CaseLifecycleTests
{
    [Fact]
    public void Reassigning_records_the_new_and_previous_worker() =>
        DeciderScenario.Given(Opened())
            .When(new AssignWorker("worker-2", "Caseload balance", Head, Now))
            .Then(new WorkerAssigned(CaseId, "worker-2", "worker-1", "Caseload balance", Provenance.Now(Head, Now)));

    [Fact]
    public void Assigning_the_worker_already_assigned_changes_nothing() =>
        DeciderScenario.Given(Opened()).When(new AssignWorker("worker-1", null, Head, Now)).Then();

    [Fact]
    public void Changing_the_placement_records_it() =>
        DeciderScenario.Given(Opened())
            .When(new ChangePlacement(new Placement(PlacementKind.FosterFamily), Worker, Now))
            .Then(new PlacementChanged(CaseId, new Placement(PlacementKind.FosterFamily), Provenance.Now(Worker, Now)));

    [Fact]
    public void Updating_guardian_contacts_replaces_the_list()
    {
        GuardianContact[] guardians = [new("Nadia Moreau", GuardianRelationship.Mother, "0600000000", null)];
        DeciderScenario.Given(Opened())
            .When(new UpdateGuardianContacts(guardians, Worker, Now))
            .Then(new GuardianContactsUpdated(CaseId, guardians, Provenance.Now(Worker, Now)));
    }

    [Fact]
    public void Updating_the_profile_records_the_whole_new_version()
    {
        var profile = MinorProfile.Empty with { Phones = ["0611111111"], Health = new HealthNeeds("Asthma", true, null, false) };
        DeciderScenario.Given(Opened())
            .When(new UpdateMinorProfile(profile, Worker, Now))
            .Then(new MinorProfileUpdated(CaseId, profile, Provenance.Now(Worker, Now)));
    }

    [Fact]
    public void Closing_records_the_reason() =>
        DeciderScenario.Given(Opened())
            .When(new CloseCase(ClosureReason.ReachedMajority, null, Head, Now))
            .Then(new CaseClosed(CaseId, ClosureReason.ReachedMajority, null, Provenance.Now(Head, Now)));

    [Fact]
    public void Closing_while_the_minor_is_missing_is_refused() =>
        DeciderScenario.Given(Opened(), Reported())
            .When(new CloseCase(ClosureReason.MovedAway, null, Head, Now))
            .ThenRefused(CaseRefusals.MinorIsMissing);

    [Fact]
    public void Nothing_but_reopening_is_accepted_on_a_closed_case()
    {
        var closed = new CaseClosed(CaseId, ClosureReason.NoLongerAtRisk, null, Provenance.Now(Head, Now.AddDays(-1)));
        DeciderScenario.Given(Opened(), closed).When(new ChangePlacement(new Placement(PlacementKind.AtHome), Worker, Now)).ThenRefused(CaseRefusals.CaseIsClosed);
        DeciderScenario.Given(Opened(), closed).When(new Domain.Episodes.ReportRunaway(EpisodeId, LastSeen, "Home", "Mother", null, null, null, null,
            Domain.Episodes.RunawayClassification.Runaway, Domain.Episodes.ConcernSigns.None, Worker, Now)).ThenRefused(CaseRefusals.CaseIsClosed);
        DeciderScenario.Given(Opened(), closed).When(new ReopenCase("New runaway reported by the police", Head, Now))
            .Then(new CaseReopened(CaseId, "New runaway reported by the police", Provenance.Now(Head, Now)));
    }

    [Fact]
    public void Reopening_an_open_case_is_refused() =>
        DeciderScenario.Given(Opened()).When(new ReopenCase("Why not", Head, Now)).ThenRefused(CaseRefusals.CaseIsOpen);

    [Fact]
    public void Commands_on_a_case_that_does_not_exist_are_refused() =>
        DeciderScenario.Given().When(new AssignWorker("worker-2", null, Head, Now)).ThenRefused(CaseRefusals.CaseNotFound);
}
