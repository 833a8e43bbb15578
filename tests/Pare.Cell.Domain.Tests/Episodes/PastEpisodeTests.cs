using Pare.Cell.Domain.Alerts;
using Pare.Cell.Domain.Assessments;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Episodes;
using Pare.Cell.Domain.Figures;
using Pare.Cell.Domain.Policies;
using Pare.Cell.Domain.Reminders;
using static Pare.Cell.Domain.Tests.Sample;

namespace Pare.Cell.Domain.Tests.Episodes;

public sealed class PastEpisodeTests
{
    private static readonly WorryingContext Policy = new(WorryingCriteria.Defaults, 1, Guid.Parse("01a221e5-9999-7000-8000-000000000009"));

    private static RecordPastEpisode Past(DateTimeOffset from, DateTimeOffset to, Guid? id = null) =>
        new(id ?? Guid.NewGuid(), from, to, "Gare Part-Dieu", RunawayClassification.Runaway, ReturnMode.CameBackAlone, "Foster home log", null, Worker, Now);

    private static PastEpisodeRecorded Recorded(DateTimeOffset from, DateTimeOffset to, Guid? id = null) =>
        new(CaseId, id ?? Guid.NewGuid(), from, to, "Gare Part-Dieu", RunawayClassification.Runaway, ReturnMode.CameBackAlone, "Foster home log", null,
            new Provenance(Worker, from, Now));

    [Fact]
    public void A_past_episode_is_recorded_whole_dated_at_its_last_seen_time_and_raises_no_alert_even_under_the_policy()
    {
        var id = Guid.NewGuid();
        var from = Now.AddDays(-20);
        // A report dated more than 48 h ago would be worrying at once; a past episode is history, not a disappearance.
        DeciderScenario.Given(Opened()).When(Past(from, from.AddDays(3), id), Policy)
            .Then(Recorded(from, from.AddDays(3), id));
    }

    [Fact]
    public void It_counts_in_the_facts_and_the_three_in_thirty_review_but_owes_no_interview_nor_contact()
    {
        var state = DeciderScenario.Fold([Opened(), Recorded(Now.AddDays(-20), Now.AddDays(-19)), Recorded(Now.AddDays(-10), Now.AddDays(-8)),
            Recorded(Now.AddDays(-5), Now.AddDays(-4))])!;

        var facts = CaseFacts.Of(state, Now);
        facts.EpisodeCount.ShouldBe(3);
        facts.EpisodesInLast30Days.ShouldBe(3);
        facts.RepeatedRunaways.ShouldBeTrue();
        facts.LongestTimeMissing.ShouldBe(TimeSpan.FromDays(2));
        facts.CurrentEpisode.ShouldBeNull();

        var reminders = ReminderRules.Derive(state, ReminderSettings.Defaults, []);
        reminders.ShouldHaveSingleItem().Rule.ShouldBe(ReminderRule.CaseReview);
        CellFigures.Compute([state], [], Now.AddDays(-30), Now, Now).ReturnsWithInterviewDue.ShouldBe(0);
    }

    [Fact]
    public void With_history_a_new_runaway_is_not_a_first_known_episode()
    {
        var state = DeciderScenario.Fold([Opened(), Recorded(Now.AddDays(-200), Now.AddDays(-199)), Reported()])!;
        WorryingPolicy.Evaluate(WorryingCriteria.Defaults, state, state.Episode(EpisodeId)!, Now)
            .ShouldNotContain(m => m.Criterion == WorryingCriterion.FirstKnownEpisode);
    }

    [Fact]
    public void A_past_episode_that_overlaps_another_or_is_not_over_is_refused()
    {
        DeciderScenario.Given(Opened(), Recorded(Now.AddDays(-10), Now.AddDays(-8)))
            .When(Past(Now.AddDays(-9), Now.AddDays(-7))).ThenRefused(CaseRefusals.EpisodesOverlap);
        DeciderScenario.Given(Opened(), Reported())
            .When(Past(LastSeen.AddHours(-1), LastSeen.AddMinutes(30))).ThenRefused(CaseRefusals.EpisodesOverlap);
        DeciderScenario.Given(Opened()).When(Past(Now.AddDays(-1), Now.AddHours(1))).ThenRefused(CaseRefusals.PastEpisodeNotOver);
    }

    [Fact]
    public void It_is_corrected_like_any_entry_its_times_amended_or_withdrawn_whole()
    {
        var id = Guid.NewGuid();
        var history = new ICaseEvent[] { Opened(), Recorded(Now.AddDays(-10), Now.AddDays(-8), id) };
        var amend = new CorrectEntry(2, history[1], "Wrong week", new EpisodeTimesCorrection(Now.AddDays(-17), null, Now.AddDays(-15)), Worker, Now);
        var amended = DeciderScenario.Given(history).When(amend);
        amended.Refusal.ShouldBeNull();
        var after = DeciderScenario.Fold([.. history, .. amended.Events])!;
        after.Episode(id)!.LastSeenAt.ShouldBe(Now.AddDays(-17));
        after.Episode(id)!.ReturnedAt.ShouldBe(Now.AddDays(-15));

        var withdrawn = DeciderScenario.Given(history).When(new CorrectEntry(2, history[1], "Another child's file", null, Worker, Now));
        withdrawn.Refusal.ShouldBeNull();
        CaseFacts.Of(DeciderScenario.Fold([.. history, .. withdrawn.Events])!, Now).EpisodeCount.ShouldBe(0);
    }

    [Fact]
    public void Live_episode_commands_on_a_past_episode_are_refused()
    {
        var id = Guid.NewGuid();
        DeciderScenario.Given(Opened(), Recorded(Now.AddDays(-10), Now.AddDays(-8), id))
            .When(new RecordReturn(id, Now.AddDays(-1), ReturnMode.CameBackAlone, null, new SafetyCheck(true, false, false, null), Worker, Now))
            .ThenRefused(CaseRefusals.EpisodeIsClosed);
        DeciderScenario.Given(Opened(), Recorded(Now.AddDays(-10), Now.AddDays(-8), id))
            .When(new FlagWorrying(id, "why", Worker, Now), Policy).ThenRefused(CaseRefusals.EpisodeNotOpen);
    }
}
