using System.Text.Json;
using Pare.Cell.Domain.Assessments;

namespace Pare.Cell.Domain.Tests.Assessments;

public sealed class RiskScoringTests
{
    private static readonly DateOnly Today = new(2026, 11, 28);
    private static readonly RiskIndicatorCatalogue Catalogue = RiskIndicatorCatalogue.Default;

    private static RiskScore Score(params (string Key, DateOnly On)[] observed) =>
        RiskScoring.Score(Catalogue, observed.Select(o => new ObservedIndicator(o.Key, o.On)), Today);

    [Fact]
    public void The_decider_scores_the_observations_itself_and_a_different_final_level_needs_a_justification()
    {
        var now = new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
        ObservedIndicator[] observed = [new("neglect", Today), new("isolation", Today), new("noTrustedAdult", Today), new("drugs", Today), new("alcohol", Today), new("selfHarm", Today)];
        var expected = Score(("neglect", Today), ("isolation", Today), ("noTrustedAdult", Today), ("drugs", Today), ("alcohol", Today), ("selfHarm", Today));
        expected.SuggestedLevel.ShouldBe(RiskLevel.AtRisk);
        var assessment = Guid.NewGuid();

        var assessed = DeciderScenario.Given(Sample.Opened())
            .When(new AssessRisk(assessment, Catalogue, observed, RiskLevel.AtRisk, null, Sample.Worker, now))
            .Events.ShouldHaveSingleItem().ShouldBeOfType<RiskAssessed>();
        assessed.Score.ShouldBe(expected.Score);
        assessed.SuggestedLevel.ShouldBe(RiskLevel.AtRisk);

        DeciderScenario.Given(Sample.Opened())
            .When(new AssessRisk(assessment, Catalogue, observed, RiskLevel.NoneIdentified, null, Sample.Worker, now))
            .ThenRefused(AssessmentRefusals.JustificationRequired);
        DeciderScenario.Given(Sample.Opened())
            .When(new AssessRisk(assessment, Catalogue, observed, RiskLevel.NoneIdentified, "Known to the team, checked with the family", Sample.Worker, now))
            .Events.ShouldHaveSingleItem().ShouldBeOfType<RiskAssessed>().FinalLevel.ShouldBe(RiskLevel.NoneIdentified);
    }

    [Fact]
    public void Nothing_observed_is_none_identified()
    {
        var score = Score();
        score.Score.ShouldBe(0);
        score.SuggestedLevel.ShouldBe(RiskLevel.NoneIdentified);
        score.Reasons.ShouldBeEmpty();
    }

    [Fact]
    public void Five_points_stay_below_at_risk_and_six_reach_it()
    {
        var five = Score(("neglect", Today), ("isolation", Today), ("noTrustedAdult", Today), ("drugs", Today), ("alcohol", Today));
        five.Score.ShouldBe(5);
        five.SuggestedLevel.ShouldBe(RiskLevel.NoneIdentified);

        var six = Score(("neglect", Today), ("isolation", Today), ("noTrustedAdult", Today), ("drugs", Today), ("alcohol", Today), ("selfHarm", Today));
        six.Score.ShouldBe(6);
        six.SuggestedLevel.ShouldBe(RiskLevel.AtRisk);
    }

    [Fact]
    public void A_recent_significant_indicator_weighs_five_and_one_point_more_reaches_at_risk()
    {
        var score = Score(("olderPartner", Today.AddMonths(-2)), ("neglect", new DateOnly(2020, 1, 1)));
        score.Score.ShouldBe(6);
        score.SuggestedLevel.ShouldBe(RiskLevel.AtRisk);
    }

    [Theory]
    [InlineData(0, 5)]
    [InlineData(5, 5)]   // 5 months 28 days: still recent
    [InlineData(6, 1)]   // 6 to 12 months: 1 point
    [InlineData(11, 1)]
    [InlineData(12, 0)]  // a year or more: nothing
    public void A_significant_indicator_weighs_by_how_long_ago_it_was_observed(int monthsAgo, int points) =>
        Score(("severalPhones", Today.AddMonths(-monthsAgo))).Score.ShouldBe(points);

    [Theory]
    [InlineData(5, 1)]
    [InlineData(6, 0)]
    public void A_moderate_indicator_counts_only_within_six_months(int monthsAgo, int points) =>
        Score(("schoolExclusionOrAbsence", Today.AddMonths(-monthsAgo))).Score.ShouldBe(points);

    [Fact]
    public void A_confirming_indicator_suggests_in_situation_whatever_the_score()
    {
        var score = Score(("advertisedOnline", Today.AddMonths(-3)));
        score.Score.ShouldBe(0);
        score.SuggestedLevel.ShouldBe(RiskLevel.InSituation);
        Score(("advertisedOnline", Today.AddMonths(-13))).SuggestedLevel.ShouldBe(RiskLevel.NoneIdentified);
    }

    [Fact]
    public void An_indicator_observed_twice_counts_once_at_its_latest_observation()
    {
        var score = Score(("severalPhones", Today.AddMonths(-9)), ("severalPhones", Today.AddMonths(-1)));
        score.Score.ShouldBe(5);
        score.Reasons.ShouldHaveSingleItem();
    }

    [Fact]
    public void Every_contribution_is_explained() =>
        Score(("olderPartner", Today.AddMonths(-8))).Reasons.ShouldBe([new ScoreReason("olderPartner", IndicatorCategory.Significant, 1, "observed 6–12 months ago")]);

    [Fact]
    public void Reassessment_is_due_in_three_months_at_risk_and_six_otherwise()
    {
        var at = new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);
        RiskScoring.ReassessmentDue(RiskLevel.AtRisk, at).ShouldBe(at.AddMonths(3));
        RiskScoring.ReassessmentDue(RiskLevel.InSituation, at).ShouldBe(at.AddMonths(3));
        RiskScoring.ReassessmentDue(RiskLevel.NoneIdentified, at).ShouldBe(at.AddMonths(6));
    }
}

public sealed class QuestionnaireTests
{
    private static Dictionary<string, JsonElement> Answers(string json) => JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;

    private static readonly ReturnInterviewQuestionnaire Q = ReturnInterviewQuestionnaire.Default;

    [Fact]
    public void Complete_answers_pass_and_yes_answers_reveal_their_indicators()
    {
        var answers = Answers("""{"whereStayed":"Hotel near the station","schoolSituation":"frequentAbsence","receivedMoneyOrGifts":true,"severalPhones":true,"platforms":["snapchat","telegram"]}""");
        Q.Check(answers).ShouldBeEmpty();
        Q.RevealedIndicators(answers).ShouldBe(["unexplainedMoneyOrGifts", "severalPhones"]);
    }

    [Fact]
    public void Unknown_questions_wrong_types_unknown_options_and_missing_required_answers_are_named()
    {
        var problems = Q.Check(Answers("""{"favouriteColour":"blue","receivedMoneyOrGifts":"yes","schoolSituation":"boarding","platforms":["myspace"]}"""));
        problems.Select(p => p.Question).Order().ShouldBe(["favouriteColour", "platforms", "receivedMoneyOrGifts", "schoolSituation", "whereStayed"]);
    }
}
