using Pare.Cell.Domain.Alerts;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Episodes;
using Pare.Cell.Domain.Policies;
using static Pare.Cell.Domain.Tests.Sample;
using Case = Pare.Cell.Domain.Cases.Case;

namespace Pare.Cell.Domain.Tests.Alerts;

public sealed class WorryingPolicyTests
{
    private static readonly WorryingCriteria AllOff = new(
        new AgeThreshold(false, 15), new Switch(false), new Switch(false), new Switch(false), new Switch(false), new Switch(false),
        new Switch(false), new Switch(false), new DurationThreshold(false, 48, 24, 13), new RepeatThreshold(false, 3, 30));

    private static Case StateWith(params ICaseEvent[] more) => DeciderScenario.Fold([Opened(), .. more])!;

    private static List<WorryingCriterion> Matched(WorryingCriteria criteria, Case state, DateTimeOffset? now = null) =>
        WorryingPolicy.Evaluate(criteria, state, state.Episode(EpisodeId)!, now ?? Now).Select(m => m.Criterion).ToList();

    [Theory]
    [InlineData("2011-11-29", true)]   // 14 the day before 15
    [InlineData("2011-11-28", false)]  // 15 today
    public void Age_under_the_threshold_matches(string born, bool matches)
    {
        var state = StateWith(Reported()) with { Minor = Minor with { DateOfBirth = DateOnly.Parse(born) } };
        Matched(AllOff with { YoungerThan = new AgeThreshold(true, 15) }, state).Contains(WorryingCriterion.YoungerThanThreshold).ShouldBe(matches);
    }

    [Fact]
    public void A_switched_off_criterion_never_matches()
    {
        var state = StateWith(Reported()) with { Minor = Minor with { DateOfBirth = new DateOnly(2016, 1, 1) } };
        Matched(AllOff, state).ShouldBeEmpty();
    }

    [Fact]
    public void Health_needs_self_harm_and_disability_come_from_the_profile()
    {
        var profile = MinorProfile.Empty with { Health = new HealthNeeds(null, TakesMedication: true, Disability: "Autism", SelfHarmRisk: true) };
        var state = StateWith(new MinorProfileUpdated(CaseId, profile, At(Now.AddDays(-1))), Reported());
        var criteria = AllOff with { HealthNeedsOrMedication = new(true), SelfHarmRisk = new(true), Disability = new(true) };
        Matched(criteria, state).ShouldBe([WorryingCriterion.HealthNeedsOrMedication, WorryingCriterion.Disability, WorryingCriterion.SelfHarmRisk]);
    }

    [Fact]
    public void Third_party_involvement_and_declared_danger_come_from_the_report_or_new_information()
    {
        var report = Reported() with { Signs = new ConcernSigns(ThirdPartySuspected: true, DangerDeclared: false) };
        var info = new EpisodeInformationAdded(CaseId, EpisodeId, "Storm warning", new ConcernSigns(false, DangerDeclared: true), At(Now));
        var criteria = AllOff with { ThirdPartyInvolvement = new(true), DangerDeclared = new(true) };
        Matched(criteria, StateWith(report, info)).ShouldBe([WorryingCriterion.ThirdPartyInvolvement, WorryingCriterion.DangerDeclared]);
    }

    [Theory]
    [InlineData(47.9, "2010-01-01", false)]
    [InlineData(48.0, "2010-01-01", true)]
    [InlineData(23.9, "2015-01-01", false)] // under 13: the shorter threshold
    [InlineData(24.0, "2015-01-01", true)]
    public void Duration_over_the_threshold_matches_and_is_shorter_for_younger_minors(double hoursMissing, string born, bool matches)
    {
        var state = StateWith(Reported()) with { Minor = Minor with { DateOfBirth = DateOnly.Parse(born) } };
        var criteria = AllOff with { MissingLongerThan = new DurationThreshold(true, 48, 24, 13) };
        Matched(criteria, state, LastSeen.AddHours(hoursMissing)).Contains(WorryingCriterion.MissingLongerThanThreshold).ShouldBe(matches);
    }

    [Fact]
    public void Only_time_and_declared_danger_count_for_an_unauthorised_absence()
    {
        var report = Reported() with { Classification = RunawayClassification.UnauthorisedAbsence, Signs = new ConcernSigns(true, true) };
        var state = StateWith(report) with { Minor = Minor with { DateOfBirth = new DateOnly(2016, 1, 1) } };
        Matched(WorryingCriteria.Defaults, state, LastSeen.AddHours(1)).ShouldBe([WorryingCriterion.DangerDeclared]);
    }

    [Fact]
    public void The_first_known_episode_and_repeated_episodes_count_the_case_s_history()
    {
        var criteria = AllOff with { FirstKnownEpisode = new(true), RepeatedEpisodes = new RepeatThreshold(true, 3, 30) };
        Matched(criteria, StateWith(Reported())).ShouldBe([WorryingCriterion.FirstKnownEpisode]);

        Guid a = Guid.NewGuid(), b = Guid.NewGuid();
        var third = StateWith(
            Reported(a, Now.AddDays(-20)), Returned(Now.AddDays(-20).AddHours(1), a),
            Reported(b, Now.AddDays(-10)), Returned(Now.AddDays(-10).AddHours(1), b),
            Reported());
        Matched(criteria, third).ShouldBe([WorryingCriterion.RepeatedEpisodes]);
    }
}

public sealed class WorryingDecisionTests
{
    private static readonly Guid AlertId = Guid.Parse("01a221e5-4000-7000-8000-0000000000a1");
    private static WorryingContext Context(WorryingCriteria? criteria = null) => new(criteria ?? WorryingCriteria.Defaults, 4, AlertId);

    private static ReportRunaway Report() =>
        new(EpisodeId, LastSeen, "Gare Part-Dieu", "MECS educator", null, "Red jacket", null, null, RunawayClassification.Runaway, ConcernSigns.None, Worker, Now);

    [Fact]
    public void A_report_that_matches_the_policy_is_worrying_in_the_same_decision_with_its_alert()
    {
        var events = DeciderScenario.Given(Opened()).When(Report(), Context()).Events;

        events.Count.ShouldBe(2);
        events[0].ShouldBeOfType<RunawayReported>();
        var worrying = events[1].ShouldBeOfType<EpisodeBecameWorrying>();
        worrying.AlertId.ShouldBe(AlertId);
        worrying.PolicyVersion.ShouldBe(4);
        worrying.Matched.Select(m => m.Criterion).ShouldBe([WorryingCriterion.FirstKnownEpisode]);
    }

    [Fact]
    public void An_episode_already_worrying_is_not_alerted_twice()
    {
        var raised = new EpisodeBecameWorrying(CaseId, EpisodeId, AlertId, [], 1, At(Now));
        DeciderScenario.Given(Opened(), Reported(), raised).When(new ReviewOpenEpisode(Actor.System, Now.AddDays(3)), Context()).Then();
    }

    [Fact]
    public void Lowering_records_the_criteria_the_head_s_judgement_overrules()
    {
        var raised = new EpisodeBecameWorrying(CaseId, EpisodeId, AlertId, [], 1, At(Now));
        var lowered = DeciderScenario.Given(Opened(), Reported(), raised)
            .When(new LowerClassification(EpisodeId, RunawayClassification.Runaway, "Whereabouts known", Head, Now), Context())
            .Events.ShouldHaveSingleItem().ShouldBeOfType<EpisodeClassificationLowered>();
        lowered.Overruled.ShouldBe([WorryingCriterion.FirstKnownEpisode]);
    }

    [Fact]
    public void After_the_head_lowered_it_the_criteria_it_overruled_do_not_raise_it_again()
    {
        var raised = new EpisodeBecameWorrying(CaseId, EpisodeId, AlertId, [], 1, At(Now));
        var lowered = new EpisodeClassificationLowered(CaseId, EpisodeId, RunawayClassification.Runaway, "Whereabouts known", At(Now), [WorryingCriterion.FirstKnownEpisode]);
        DeciderScenario.Given(Opened(), Reported(), raised, lowered).When(new ReviewOpenEpisode(Actor.System, Now.AddHours(20)), Context()).Then();
    }

    [Fact]
    public void After_the_head_lowered_it_a_criterion_that_comes_to_match_raises_it_again_with_a_new_alert()
    {
        var raised = new EpisodeBecameWorrying(CaseId, EpisodeId, Guid.NewGuid(), [], 1, At(Now));
        var lowered = new EpisodeClassificationLowered(CaseId, EpisodeId, RunawayClassification.Runaway, "Whereabouts known", At(Now), [WorryingCriterion.FirstKnownEpisode]);
        var given = new ICaseEvent[] { Opened(), Reported(), raised, lowered };

        // A new fact: a third party suspected.
        var information = DeciderScenario.Given(given).When(new AddEpisodeInformation(EpisodeId, "Seen getting into an unknown car", new ConcernSigns(true, false), Now.AddHours(1), Worker, Now.AddHours(1)), Context()).Events;
        var again = information[^1].ShouldBeOfType<EpisodeBecameWorrying>();
        again.AlertId.ShouldBe(AlertId);
        again.Matched.Select(m => m.Criterion).ShouldBe([WorryingCriterion.ThirdPartyInvolvement]);
        DeciderScenario.Fold([.. given, .. information])!.Episode(EpisodeId)!.ShouldSatisfyAllConditions(
            e => e.Classification.ShouldBe(RunawayClassification.WorryingDisappearance), e => e.LoweredByHead.ShouldBeFalse());

        // The time passing: missing for 48 hours.
        var later = DeciderScenario.Given(given).When(new ReviewOpenEpisode(Actor.System, LastSeen.AddHours(48)), Context()).Events;
        later.ShouldHaveSingleItem().ShouldBeOfType<EpisodeBecameWorrying>().Matched.Select(m => m.Criterion).ShouldBe([WorryingCriterion.MissingLongerThanThreshold]);
    }

    [Fact]
    public void An_episode_lowered_before_overruled_criteria_were_recorded_is_not_raised_again_by_the_policy()
    {
        var raised = new EpisodeBecameWorrying(CaseId, EpisodeId, AlertId, [], 1, At(Now));
        var lowered = new EpisodeClassificationLowered(CaseId, EpisodeId, RunawayClassification.Runaway, "Whereabouts known", At(Now));
        DeciderScenario.Given(Opened(), Reported(), raised, lowered).When(new ReviewOpenEpisode(Actor.System, Now.AddDays(3)), Context()).Then();

        // Nor a snapshot stored before the episode summary kept them (the field absent: null).
        var snapshot = DeciderScenario.Fold([Opened(), Reported(), raised, lowered])!;
        snapshot.Episode(EpisodeId)!.OverruledCriteria.ShouldBeNull();
        CaseDecider.Decide(new AddEpisodeInformation(EpisodeId, "Seen with an older man", new ConcernSigns(true, true), Now, Worker, Now), snapshot, Context())
            .ShouldHaveSingleItem().ShouldBeOfType<EpisodeInformationAdded>();
    }

    [Fact]
    public void A_manual_flag_names_the_worker_s_reason_first()
    {
        var second = Guid.NewGuid();
        var outcome = DeciderScenario.Given(Opened(), Reported(), Returned(Now.AddHours(-2)), Reported(second, Now.AddHours(-1)))
            .When(new FlagWorrying(second, "Unknown car seen", Worker, Now), Context(WorryingCriteria.Defaults with { FirstKnownEpisode = new Switch(false) }));
        var worrying = outcome.Events.ShouldHaveSingleItem().ShouldBeOfType<EpisodeBecameWorrying>();
        worrying.Matched[0].ShouldBe(new MatchedCriterion(WorryingCriterion.FlaggedByWorker, "Unknown car seen"));
    }

    [Fact]
    public void Lowering_an_episode_that_is_not_worrying_is_refused() =>
        DeciderScenario.Given(Opened(), Reported())
            .When(new LowerClassification(EpisodeId, RunawayClassification.Runaway, "No", Head, Now))
            .ThenRefused(CaseRefusals.NotWorrying);

    [Fact]
    public void A_delivery_is_recorded_once_even_when_the_message_is_sent_again()
    {
        var raised = new EpisodeBecameWorrying(CaseId, EpisodeId, AlertId, [], 1, At(Now));
        var delivered = new ProsecutorAlertDelivered(CaseId, AlertId, AlertChannel.Email, 1, At(Now));
        DeciderScenario.Given(Opened(), Reported(), raised, delivered)
            .When(new RecordAlertDelivery(AlertId, AlertChannel.Email, 2, Actor.System, Now)).Then();
        DeciderScenario.Given(Opened(), Reported(), raised, delivered)
            .When(new EscalateAlert(AlertId, Actor.System, Now)).Then();
    }

    [Fact]
    public void A_webhook_answering_first_does_not_count_as_the_e_mail_s_delivery()
    {
        var raised = new EpisodeBecameWorrying(CaseId, EpisodeId, AlertId, [], 1, At(Now));
        var webhook = new ProsecutorAlertDelivered(CaseId, AlertId, AlertChannel.Webhook, 1, At(Now));
        DeciderScenario.Given(Opened(), Reported(), raised, webhook).When(new RecordAlertFailure(AlertId, AlertChannel.Email, 1, "smtp 550", Actor.System, Now))
            .Events.ShouldHaveSingleItem().ShouldBeOfType<ProsecutorAlertDeliveryFailed>();
        DeciderScenario.Given(Opened(), Reported(), raised, webhook).When(new EscalateAlert(AlertId, Actor.System, Now.AddMinutes(10)))
            .Events.ShouldHaveSingleItem().ShouldBeOfType<ProsecutorAlertEscalated>();
        DeciderScenario.Given(Opened(), Reported(), raised, webhook).When(new RecordAlertDelivery(AlertId, AlertChannel.Email, 2, Actor.System, Now.AddMinutes(11)))
            .Events.ShouldHaveSingleItem().ShouldBeOfType<ProsecutorAlertDelivered>().Channel.ShouldBe(AlertChannel.Email);
        DeciderScenario.Given(Opened(), Reported(), raised, webhook).When(new RecordAlertDelivery(AlertId, AlertChannel.Webhook, 2, Actor.System, Now.AddMinutes(1)))
            .Then(); // a redelivery of the webhook (after a crash) is recorded once
    }

    [Fact]
    public void An_undelivered_alert_is_escalated_once()
    {
        var raised = new EpisodeBecameWorrying(CaseId, EpisodeId, AlertId, [], 1, At(Now));
        var escalated = new ProsecutorAlertEscalated(CaseId, AlertId, Provenance.Now(Actor.System, Now));
        DeciderScenario.Given(Opened(), Reported(), raised).When(new EscalateAlert(AlertId, Actor.System, Now)).Then(escalated);
        DeciderScenario.Given(Opened(), Reported(), raised, escalated).When(new EscalateAlert(AlertId, Actor.System, Now)).Then();
    }
}
