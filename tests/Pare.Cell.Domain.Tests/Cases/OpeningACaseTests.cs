using Case = Pare.Cell.Domain.Cases.Case;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Common;

namespace Pare.Cell.Domain.Tests.Cases;

public sealed class OpeningACaseTests
{
    [Fact]
    public void Opening_a_new_case_records_the_minor_placement_worker_and_provenance() =>
        DeciderScenario.Given()
            .When(new OpenCase(Sample.CaseId, Sample.Minor, Sample.Placement, "worker-1", Sample.Worker, Sample.Now))
            .Then(new CaseOpened(Sample.CaseId, CaseReference.For(Sample.CaseId), Sample.Minor, Sample.Placement, "worker-1",
                new Provenance(Sample.Worker, Sample.Now, Sample.Now)));

    [Fact]
    public void Opening_a_case_twice_is_refused() =>
        DeciderScenario.Given(Sample.Opened())
            .When(new OpenCase(Sample.CaseId, Sample.Minor, Sample.Placement, "worker-1", Sample.Worker, Sample.Now))
            .ThenRefused(CaseRefusals.AlreadyOpened);

    [Fact]
    public void An_opened_case_is_open_and_assigned()
    {
        var state = DeciderScenario.Fold([Sample.Opened(Sample.Now)])!;
        state.Status.ShouldBe(CaseStatus.Open);
        state.AssignedWorkerId.ShouldBe("worker-1");
        state.OpenedAt.ShouldBe(Sample.Now);
    }
}

public sealed class CaseReferenceTests
{
    [Fact]
    public void The_reference_is_stable_readable_and_free_of_ambiguous_letters()
    {
        var reference = CaseReference.For(Sample.CaseId);
        reference.ShouldBe(CaseReference.For(Sample.CaseId));
        reference.ShouldMatch("^PC-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$");
    }

    [Fact]
    public void Different_cases_get_different_references()
    {
        var references = Enumerable.Range(0, 10_000).Select(_ => CaseReference.For(Guid.CreateVersion7())).ToHashSet();
        references.Count.ShouldBe(10_000);
    }
}

public sealed class MinorAgeTests
{
    [Theory]
    [InlineData("2008-11-28", "2026-11-28", 18)]
    [InlineData("2008-11-29", "2026-11-28", 17)]
    [InlineData("2012-02-29", "2026-02-28", 13)]
    [InlineData("2012-02-29", "2026-03-01", 14)]
    public void Age_is_counted_in_whole_years_on_the_day(string born, string on, int age) =>
        new MinorIdentity("A", "B", DateOnly.Parse(born)).AgeOn(DateOnly.Parse(on)).ShouldBe(age);
}
