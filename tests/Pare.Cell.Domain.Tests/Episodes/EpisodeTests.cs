using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Episodes;
using static Pare.Cell.Domain.Tests.Sample;

namespace Pare.Cell.Domain.Tests.Episodes;

public sealed class ReportingARunawayTests
{
    private static ReportRunaway Report(Guid? episodeId = null) =>
        new(episodeId ?? EpisodeId, LastSeen, "Gare Part-Dieu", "MECS educator", null, "Red jacket", null, null, RunawayClassification.Runaway, ConcernSigns.None, Worker, Now);

    [Fact]
    public void Reporting_opens_an_episode_dated_at_the_last_seen_time() =>
        DeciderScenario.Given(Opened()).When(Report()).Then(Reported());

    [Fact]
    public void A_second_runaway_while_one_is_open_is_refused() =>
        DeciderScenario.Given(Opened(), Reported()).When(Report(Guid.NewGuid())).ThenRefused(CaseRefusals.EpisodeAlreadyOpen);

    [Fact]
    public void A_new_runaway_after_the_return_is_accepted()
    {
        var second = Guid.NewGuid();
        var outcome = DeciderScenario.Given(Opened(), Reported(), Returned()).When(Report(second));
        outcome.Refusal.ShouldBeNull();
        outcome.Events.ShouldHaveSingleItem().ShouldBeOfType<RunawayReported>().EpisodeId.ShouldBe(second);
    }
}

public sealed class DuringAnEpisodeTests
{
    [Fact]
    public void A_contact_is_logged_with_when_it_happened_and_when_it_was_recorded()
    {
        var at = Now.AddHours(-2);
        DeciderScenario.Given(Opened(), Reported())
            .When(new LogContact(EpisodeId, ContactParty.ParentOrGuardian, ContactChannel.Phone, ContactOutcome.Reached, "Mother reassured",
                "Referred to 116 000 family follow-up", at, Worker, Now))
            .Then(new EpisodeContactLogged(CaseId, EpisodeId, ContactParty.ParentOrGuardian, ContactChannel.Phone, ContactOutcome.Reached,
                "Mother reassured", "Referred to 116 000 family follow-up", new Provenance(Worker, at, Now)));
    }

    [Fact]
    public void A_contact_after_the_return_is_accepted_until_the_episode_is_closed() =>
        DeciderScenario.Given(Opened(), Reported(), Returned())
            .When(new LogContact(EpisodeId, ContactParty.ParentOrGuardian, ContactChannel.InPerson, ContactOutcome.Reached, null, null, Now, Worker, Now))
            .Events.ShouldHaveSingleItem();

    [Fact]
    public void A_contact_on_a_closed_episode_is_refused() =>
        DeciderScenario.Given(Opened(), Reported(), Returned(), new EpisodeClosed(CaseId, EpisodeId, At(Now)))
            .When(new LogContact(EpisodeId, ContactParty.Minor, ContactChannel.Phone, ContactOutcome.NoAnswer, null, null, Now, Worker, Now))
            .ThenRefused(CaseRefusals.EpisodeIsClosed);

    [Fact]
    public void A_contact_dated_before_the_last_seen_time_is_refused() =>
        DeciderScenario.Given(Opened(), Reported())
            .When(new LogContact(EpisodeId, ContactParty.Minor, ContactChannel.Phone, ContactOutcome.NoAnswer, null, null, LastSeen.AddMinutes(-1), Worker, Now))
            .ThenRefused(CaseRefusals.EntryBeforeLastSeen);

    [Fact]
    public void A_contact_on_an_unknown_episode_is_refused_as_not_found() =>
        DeciderScenario.Given(Opened(), Reported())
            .When(new LogContact(Guid.NewGuid(), ContactParty.Minor, ContactChannel.Phone, ContactOutcome.NoAnswer, null, null, Now, Worker, Now))
            .ThenRefused(CaseRefusals.EpisodeNotFound);

    [Fact]
    public void A_sighting_is_recorded_while_missing() =>
        DeciderScenario.Given(Opened(), Reported())
            .When(new ReportSighting(EpisodeId, "Quai de Saône", "Street educator", null, Now.AddHours(-1), Worker, Now))
            .Then(new SightingReported(CaseId, EpisodeId, "Quai de Saône", "Street educator", null, new Provenance(Worker, Now.AddHours(-1), Now)));

    [Fact]
    public void A_sighting_after_the_return_is_refused() =>
        DeciderScenario.Given(Opened(), Reported(), Returned())
            .When(new ReportSighting(EpisodeId, "Quai de Saône", "Street educator", null, Now, Worker, Now))
            .ThenRefused(CaseRefusals.AlreadyReturned);

    [Fact]
    public void New_information_is_recorded() =>
        DeciderScenario.Given(Opened(), Reported())
            .When(new AddEpisodeInformation(EpisodeId, "Friend says she mentioned Marseille", ConcernSigns.None, Now, Worker, Now))
            .Then(new EpisodeInformationAdded(CaseId, EpisodeId, "Friend says she mentioned Marseille", ConcernSigns.None, new Provenance(Worker, Now, Now)));
}

public sealed class ReturningTests
{
    private static RecordReturn Return(DateTimeOffset at) =>
        new(EpisodeId, at, ReturnMode.FoundByPolice, "Hotel room", new SafetyCheck(true, true, false, "Seen by the nurse"), Worker, Now);

    [Fact]
    public void The_return_is_recorded_at_the_time_it_happened() =>
        DeciderScenario.Given(Opened(), Reported())
            .When(Return(Now.AddHours(-1)))
            .Then(new ReturnRecorded(CaseId, EpisodeId, Now.AddHours(-1), ReturnMode.FoundByPolice, "Hotel room",
                new SafetyCheck(true, true, false, "Seen by the nurse"), new Provenance(Worker, Now.AddHours(-1), Now)));

    [Fact]
    public void A_return_before_the_last_seen_time_is_refused() =>
        DeciderScenario.Given(Opened(), Reported()).When(Return(LastSeen.AddMinutes(-5))).ThenRefused(CaseRefusals.ReturnBeforeLastSeen);

    [Fact]
    public void A_second_return_is_refused() =>
        DeciderScenario.Given(Opened(), Reported(), Returned()).When(Return(Now)).ThenRefused(CaseRefusals.AlreadyReturned);

    [Fact]
    public void Closing_a_returned_episode_is_accepted() =>
        DeciderScenario.Given(Opened(), Reported(), Returned())
            .When(new CloseEpisode(EpisodeId, Worker, Now))
            .Then(new EpisodeClosed(CaseId, EpisodeId, Provenance.Now(Worker, Now)));

    [Fact]
    public void Closing_before_the_return_is_refused() =>
        DeciderScenario.Given(Opened(), Reported()).When(new CloseEpisode(EpisodeId, Worker, Now)).ThenRefused(CaseRefusals.NotReturnedYet);

    [Fact]
    public void Closing_twice_is_refused() =>
        DeciderScenario.Given(Opened(), Reported(), Returned(), new EpisodeClosed(CaseId, EpisodeId, At(Now)))
            .When(new CloseEpisode(EpisodeId, Worker, Now)).ThenRefused(CaseRefusals.EpisodeIsClosed);
}

public sealed class CorrectionTests
{
    // Versions: 1 opened, 2 reported, 3 contact, 4 returned.
    private static readonly ICaseEvent[] History = [Opened(), Reported(), Contact(), Returned()];

    [Fact]
    public void A_mistaken_contact_is_withdrawn_and_no_longer_counted()
    {
        var correction = new EntryCorrected(CaseId, 3, EntryKind.Contact, EpisodeId, "Logged on the wrong case", null, Provenance.Now(Worker, Now));
        DeciderScenario.Given(History).When(new CorrectEntry(3, History[2], "Logged on the wrong case", null, Worker, Now)).Then(correction);

        var state = DeciderScenario.Fold([.. History, correction])!;
        state.Episode(EpisodeId)!.ContactCount.ShouldBe(0);
        state.CorrectedVersions.ShouldBe([3L]);
    }

    [Fact]
    public void The_last_seen_time_is_amended_and_the_original_kept()
    {
        var earlier = LastSeen.AddHours(-2);
        var times = new EpisodeTimesCorrection(earlier, null, null);
        var correction = new EntryCorrected(CaseId, 2, EntryKind.RunawayReport, EpisodeId, "The educator misread the log", times, Provenance.Now(Worker, Now));
        DeciderScenario.Given(History).When(new CorrectEntry(2, History[1], "The educator misread the log", times, Worker, Now)).Then(correction);

        var episode = DeciderScenario.Fold([.. History, correction])!.Episode(EpisodeId)!;
        episode.LastSeenAt.ShouldBe(earlier);
        episode.LastSeenPlace.ShouldBe("Gare Part-Dieu");
    }

    [Fact]
    public void An_amendment_that_puts_the_return_before_the_last_seen_time_is_refused() =>
        DeciderScenario.Given(History)
            .When(new CorrectEntry(4, History[3], "Typo", new EpisodeTimesCorrection(null, null, LastSeen.AddHours(-1)), Worker, Now))
            .ThenRefused(CaseRefusals.ReturnBeforeLastSeen);

    [Fact]
    public void Withdrawing_a_runaway_report_is_refused() =>
        DeciderScenario.Given(History).When(new CorrectEntry(2, History[1], "Never happened", null, Worker, Now)).ThenRefused(CaseRefusals.TimesDoNotApply);

    [Fact]
    public void Correcting_an_entry_that_cannot_be_corrected_is_refused() =>
        DeciderScenario.Given(History).When(new CorrectEntry(1, History[0], "Wrong", null, Worker, Now)).ThenRefused(CaseRefusals.NothingToCorrect);

    [Fact]
    public void Correcting_a_version_the_stream_does_not_have_is_refused() =>
        DeciderScenario.Given(History).When(new CorrectEntry(9, null, "Wrong", null, Worker, Now)).ThenRefused(CaseRefusals.NothingToCorrect);

    [Fact]
    public void Correcting_twice_is_refused() =>
        DeciderScenario.Given([.. History, new EntryCorrected(CaseId, 3, EntryKind.Contact, EpisodeId, "Wrong case", null, At(Now))])
            .When(new CorrectEntry(3, History[2], "Again", null, Worker, Now)).ThenRefused(CaseRefusals.AlreadyCorrected);
}

public sealed class CaseFactsTests
{
    [Fact]
    public void Facts_count_episodes_time_missing_and_the_current_episode()
    {
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        var third = Guid.NewGuid();
        var state = DeciderScenario.Fold(
        [
            Opened(),
            Reported(first, Now.AddDays(-40)), Returned(Now.AddDays(-40).AddHours(10), first),     // 10 h, outside 30 days
            Reported(second, Now.AddDays(-20)), Returned(Now.AddDays(-20).AddHours(30), second),   // 30 h
            Reported(third, Now.AddHours(-5)),                                                      // 5 h so far
        ])!;

        var facts = CaseFacts.Of(state, Now);

        facts.EpisodeCount.ShouldBe(3);
        facts.EpisodesInLast30Days.ShouldBe(2);
        facts.TotalTimeMissing.ShouldBe(TimeSpan.FromHours(45));
        facts.LongestTimeMissing.ShouldBe(TimeSpan.FromHours(30));
        facts.CurrentEpisode!.Id.ShouldBe(third);
        facts.CurrentEpisodeDuration.ShouldBe(TimeSpan.FromHours(5));
        facts.RepeatedRunaways.ShouldBeFalse();
    }

    [Fact]
    public void Three_episodes_within_30_days_raise_the_repeated_runaway_flag()
    {
        Guid a = Guid.NewGuid(), b = Guid.NewGuid(), c = Guid.NewGuid();
        var state = DeciderScenario.Fold(
        [
            Opened(),
            Reported(a, Now.AddDays(-29)), Returned(Now.AddDays(-29).AddHours(2), a),
            Reported(b, Now.AddDays(-10)), Returned(Now.AddDays(-10).AddHours(2), b),
            Reported(c, Now.AddHours(-1)),
        ])!;

        CaseFacts.Of(state, Now).RepeatedRunaways.ShouldBeTrue();
        CaseFacts.Of(state, Now.AddDays(2)).RepeatedRunaways.ShouldBeFalse();
    }

    [Fact]
    public void An_open_episode_grows_longer_as_time_passes()
    {
        var state = DeciderScenario.Fold([Opened(), Reported()])!;
        CaseFacts.Of(state, LastSeen.AddHours(49)).CurrentEpisodeDuration.ShouldBe(TimeSpan.FromHours(49));
    }
}
