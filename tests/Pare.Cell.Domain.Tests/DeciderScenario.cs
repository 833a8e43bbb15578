using Case = Pare.Cell.Domain.Cases.Case;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Episodes;
using Pare.Cell.Domain.Policies;

namespace Pare.Cell.Domain.Tests;

/// <summary>Given(past events).When(command).Then(new events) or ThenRefused(refusal), without a database.</summary>
public sealed class DeciderScenario
{
    private readonly ICaseEvent[] _history;

    private DeciderScenario(ICaseEvent[] history) => _history = history;

    public static DeciderScenario Given(params ICaseEvent[] history) => new(history);

    public Outcome When(CaseCommand command, WorryingContext? worrying = null)
    {
        var state = Fold(_history);
        try
        {
            return new Outcome(CaseDecider.Decide(command, state, worrying), null);
        }
        catch (RefusedException refused)
        {
            return new Outcome([], refused.Refusal);
        }
    }

    public static Case? Fold(IEnumerable<ICaseEvent> history)
    {
        Case? state = null;
        var version = 0L;
        foreach (var e in history)
        {
            state = Case.Evolve(state, e);
            version++;
        }
        if (state is not null) state.Version = version;
        return state;
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

    public static readonly Actor Head = Actor.Member("head-1");
    public static readonly Guid EpisodeId = Guid.Parse("01a221e5-3000-7000-8000-000000000001");
    public static readonly DateTimeOffset LastSeen = Now.AddHours(-3);

    public static CaseOpened Opened(DateTimeOffset? at = null) =>
        new(CaseId, CaseReference.For(CaseId), Minor, Placement, "worker-1", Provenance.Now(Worker, at ?? Now.AddDays(-60)));

    public static Provenance At(DateTimeOffset occurred) => new(Worker, occurred, Now);

    public static RunawayReported Reported(Guid? episodeId = null, DateTimeOffset? lastSeen = null) =>
        new(CaseId, episodeId ?? EpisodeId, lastSeen ?? LastSeen, "Gare Part-Dieu", "MECS educator", null, "Red jacket", null, null,
            RunawayClassification.Runaway, ConcernSigns.None, At(lastSeen ?? LastSeen));

    public static ReturnRecorded Returned(DateTimeOffset? at = null, Guid? episodeId = null) =>
        new(CaseId, episodeId ?? EpisodeId, at ?? Now.AddHours(-1), ReturnMode.CameBackAlone, "At a friend's", new SafetyCheck(true, false, false, null), At(at ?? Now.AddHours(-1)));

    public static EpisodeContactLogged Contact(DateTimeOffset? at = null) =>
        new(CaseId, EpisodeId, ContactParty.Minor, ContactChannel.Phone, ContactOutcome.NoAnswer, null, null, At(at ?? Now.AddHours(-2)));
}
