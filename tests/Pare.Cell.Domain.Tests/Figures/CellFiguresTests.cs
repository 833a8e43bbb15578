using Pare.Cell.Domain.Assessments;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Figures;
using Case = Pare.Cell.Domain.Cases.Case;
using static Pare.Cell.Domain.Tests.Sample;

namespace Pare.Cell.Domain.Tests.Figures;

public sealed class CellFiguresTests
{
    private static readonly DateTimeOffset From = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset AsOf = new(2026, 12, 10, 0, 0, 0, TimeSpan.Zero);

    private static Case CaseWith(Guid id, RiskLevel? level, params ICaseEvent[] events)
    {
        var opened = Opened(From.AddDays(-100)) with { CaseId = id };
        var state = DeciderScenario.Fold([opened, .. events.Select(e => Retarget(e, id))])!;
        return level is null ? state : state with { RiskLevel = level, RiskTrend = [new RiskPoint(Guid.NewGuid(), From.AddDays(-50), 0, level.Value, level.Value)] };
    }

    private static ICaseEvent Retarget(ICaseEvent e, Guid id) => e switch
    {
        Domain.Episodes.RunawayReported r => r with { CaseId = id },
        Domain.Episodes.ReturnRecorded r => r with { CaseId = id },
        ReturnInterviewRecorded r => r with { CaseId = id },
        _ => e,
    };

    private static ReturnInterviewRecorded Interview(Guid episode, DateTimeOffset at) =>
        new(CaseId, episode, 1, new Dictionary<string, System.Text.Json.JsonElement>(), ["worker"], null, [], At(at));

    [Fact]
    public void Figures_on_a_known_fixture_match_the_hand_computed_values()
    {
        Guid e1 = Guid.NewGuid(), e2 = Guid.NewGuid(), e3 = Guid.NewGuid(), e4 = Guid.NewGuid(), e5 = Guid.NewGuid();
        var t = From.AddDays(2);
        var cases = new[]
        {
            // Case A: two episodes in the period: 10 h (interview at +24 h) and 30 h (interview at +80 h: late). At risk.
            CaseWith(Guid.NewGuid(), RiskLevel.AtRisk,
                Reported(e1, t), Returned(t.AddHours(10), e1), Interview(e1, t.AddHours(34)),
                Reported(e2, t.AddDays(5)), Returned(t.AddDays(5).AddHours(30), e2), Interview(e2, t.AddDays(5).AddHours(110))),
            // Case B: one episode of 20 h, no interview yet, 72 h long gone by AsOf: counts as due and missed.
            CaseWith(Guid.NewGuid(), RiskLevel.NoneIdentified, Reported(e3, t.AddDays(10)), Returned(t.AddDays(10).AddHours(20), e3)),
            // Case C: one episode of 40 h with an interview at +2 h after return. In situation.
            CaseWith(Guid.NewGuid(), RiskLevel.InSituation, Reported(e4, t.AddDays(12)), Returned(t.AddDays(12).AddHours(40), e4), Interview(e4, t.AddDays(12).AddHours(42))),
            // Case D: an episode before the period: not counted; minor followed, no level.
            CaseWith(Guid.NewGuid(), null, Reported(e5, From.AddDays(-20)), Returned(From.AddDays(-19), e5)),
        };
        AlertTimes[] alerts =
        [
            new(t, t.AddSeconds(3), t.AddMinutes(20)),
            new(t.AddDays(5), t.AddDays(5).AddSeconds(5), null),
            new(t.AddDays(12), t.AddDays(12).AddSeconds(30), t.AddDays(12).AddMinutes(40)),
            new(From.AddDays(-20), From.AddDays(-20).AddSeconds(1), null),
        ];

        var f = CellFigures.Compute(cases, alerts, From, To, AsOf);

        f.Episodes.ShouldBe(4);
        f.DistinctMinorsWithEpisodes.ShouldBe(3);
        f.MinorsFollowed.ShouldBe(4);
        f.MinorsAtRiskOrInSituation.ShouldBe(2);
        f.ShareAtRiskOrInSituationPercent.ShouldBe(50.0);
        f.MedianEpisodeHours.ShouldBe(25.0);      // 10, 20, 30, 40
        f.LongestEpisodeHours.ShouldBe(40.0);
        f.ReturnsWithInterviewDue.ShouldBe(4);
        f.InterviewsHeldWithin72Hours.ShouldBe(2); // e1 (24 h) and e4 (2 h); e2 late, e3 missing
        f.InterviewCompliancePercent.ShouldBe(50.0);
        f.AlertsRaised.ShouldBe(3);
        f.MedianSecondsToDelivery.ShouldBe(5.0);   // 3, 5, 30
        f.MedianMinutesToAcknowledgement.ShouldBe(30.0); // 20, 40
    }

    [Fact]
    public void The_share_at_risk_counts_each_minor_s_level_as_the_period_ended_not_as_it_is_now()
    {
        RiskPoint Assessed(DateTimeOffset at, RiskLevel level) => new(Guid.NewGuid(), at, 0, level, level);
        var atRiskThenBetter = CaseWith(Guid.NewGuid(), null) with { RiskTrend = [Assessed(From.AddDays(3), RiskLevel.AtRisk), Assessed(To.AddDays(2), RiskLevel.NoneIdentified)] };
        var atRiskOnlyLater = CaseWith(Guid.NewGuid(), null) with { RiskTrend = [Assessed(From.AddDays(-30), RiskLevel.NoneIdentified), Assessed(To.AddDays(1), RiskLevel.InSituation)] };

        var f = CellFigures.Compute([atRiskThenBetter, atRiskOnlyLater], [], From, To, AsOf);

        f.MinorsFollowed.ShouldBe(2);
        f.MinorsAtRiskOrInSituation.ShouldBe(1); // the first, at risk during the period; the second only since
    }

    [Fact]
    public void A_return_still_within_its_72_hours_is_not_yet_counted_against_compliance()
    {
        var e = Guid.NewGuid();
        var t = From.AddDays(28);
        var state = CaseWith(Guid.NewGuid(), null, Reported(e, t), Returned(t.AddHours(5), e));
        var f = CellFigures.Compute([state], [], From, To, t.AddHours(10));
        f.ReturnsWithInterviewDue.ShouldBe(0);
        f.InterviewCompliancePercent.ShouldBeNull();
    }

    [Theory]
    [InlineData(12, "under-13")]
    [InlineData(13, "13-14")]
    [InlineData(16, "15-16")]
    [InlineData(17, "17")]
    public void Age_bands_replace_dates_of_birth(int age, string band) => CellFigures.AgeBand(age).ShouldBe(band);
}
