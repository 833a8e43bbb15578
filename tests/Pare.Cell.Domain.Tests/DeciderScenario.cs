using Case = Pare.Cell.Domain.Cases.Case;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Common;

namespace Pare.Cell.Domain.Tests;

/// <summary>Given(past events).When(command).Then(new events) or ThenRefused(refusal), without a database.</summary>
public sealed class DeciderScenario
{
    private readonly ICaseEvent[] _history;

    private DeciderScenario(ICaseEvent[] history) => _history = history;

    public static DeciderScenario Given(params ICaseEvent[] history) => new(history);

    public Outcome When(CaseCommand command)
    {
        var state = _history.Aggregate((Case?)null, Case.Evolve);
        try
        {
            return new Outcome(CaseDecider.Decide(command, state), null);
        }
        catch (RefusedException refused)
        {
            return new Outcome([], refused.Refusal);
        }
    }

    public sealed record Outcome(IReadOnlyList<ICaseEvent> Events, Refusal? Refusal)
    {
        public void Then(params ICaseEvent[] expected)
        {
            Refusal.ShouldBeNull();
            Events.ShouldBe(expected);
        }

        public void ThenRefused(Refusal expected)
        {
            Events.ShouldBeEmpty();
            Refusal.ShouldBe(expected);
        }
    }
}

public static class Sample
{
    public static readonly DateTimeOffset Now = new(2026, 11, 28, 2, 0, 0, TimeSpan.Zero);
    public static readonly Actor Worker = Actor.Member("worker-1");
    public static readonly Guid CaseId = Guid.Parse("01a221e5-2256-7263-aa18-6ad193daec59");
    public static readonly MinorIdentity Minor = new("Inès", "Moreau", new DateOnly(2011, 5, 17));
    public static readonly Placement Placement = new(PlacementKind.ChildWelfareEstablishment, "MECS Les Tilleuls");

    public static CaseOpened Opened(DateTimeOffset? at = null) =>
        new(CaseId, CaseReference.For(CaseId), Minor, Placement, "worker-1", Provenance.Now(Worker, at ?? Now));
}
