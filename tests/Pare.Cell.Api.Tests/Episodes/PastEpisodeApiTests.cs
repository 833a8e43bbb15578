using System.Net;
using Pare.Cell.Api.Cases.Timeline;
using Pare.Cell.Api.Episodes.Reading;
using Pare.Cell.Api.Reminders;
using Pare.Cell.Api.Tests.Alerts;
using Pare.Cell.Api.Tests.Cases;
using Pare.Cell.Api.Tests.Infrastructure;
using Pare.Cell.Domain.Reminders;

namespace Pare.Cell.Api.Tests.Episodes;

/// <summary>History before the cell: past episodes, through the API with the job server and a real SMTP server running.</summary>
[Collection(AlertingCollection.Name)]
public sealed class PastEpisodeApiTests(AlertingApp app)
{
    private DateTimeOffset Now => app.Clock.GetUtcNow();

    private static string NewCell() => $"cell-p-{Guid.NewGuid():N}"[..18];

    private static object Past(DateTimeOffset from, DateTimeOffset to) => new
    {
        lastSeenAt = from, returnedAt = to, lastSeenPlace = "Gare de Grenoble", classification = "runaway", how = "foundByPolice",
        source = "Foster home's log", notes = "Came back with new clothes",
    };

    [Fact]
    public async Task Past_episodes_count_in_the_facts_and_the_review_show_as_after_the_fact_and_never_alert_nor_remind()
    {
        var cell = NewCell();
        // Every criterion on that a real report of these dates would match: first episode, duration, age.
        await app.ConfigureCellAsync(cell, AlertScenarios.Criteria(young: true, firstEpisode: true, duration: true));
        var worker = app.Worker(cell);
        var opened = await worker.OpenCaseAsync(CaseRequests.NewCase("Léa", "Passé", "2013-02-01"));

        var first = await worker.RecordAsync($"/api/v1/cases/{opened.Id}/past-episodes", Past(Now.AddDays(-25), Now.AddDays(-22)));
        await worker.RecordAsync($"/api/v1/cases/{opened.Id}/past-episodes", Past(Now.AddDays(-15), Now.AddDays(-14)));
        await worker.RecordAsync($"/api/v1/cases/{opened.Id}/past-episodes", Past(Now.AddDays(-5), Now.AddDays(-4).AddHours(-12)));

        var facts = (await worker.GetCaseAsync(opened.Id)).Facts;
        facts.EpisodeCount.ShouldBe(3);
        facts.EpisodesInLast30Days.ShouldBe(3);
        facts.RepeatedRunaways.ShouldBeTrue();
        facts.LongestMinutesMissing.ShouldBe(3 * 24 * 60);
        facts.CurrentEpisode.ShouldBeNull();

        var timeline = await (await worker.GetAsync($"/api/v1/cases/{opened.Id}/timeline")).ReadAsync<CaseTimeline>();
        var past = timeline.Entries.Where(e => e.Type == "pastEpisodeRecorded").ToList();
        past.Count.ShouldBe(3);
        past.ShouldAllBe(e => e.RecordedAfterTheFact && e.RecordedAt == Now);
        past[0].OccurredAt.ShouldBe(Now.AddDays(-25));
        timeline.Entries.ShouldNotContain(e => e.Type == "episodeBecameWorrying");

        var episode = await (await worker.GetAsync($"/api/v1/cases/{opened.Id}/episodes/{first.EpisodeId}")).ReadAsync<EpisodeView>();
        episode.RecordedAfterTheFact.ShouldBeTrue();
        episode.Notes.ShouldBe("Came back with new clothes");
        (await (await worker.GetAsync($"/api/v1/cases/{opened.Id}/episodes")).ReadAsync<List<EpisodeSummaryView>>())
            .ShouldAllBe(e => e.RecordedAfterTheFact);

        // The head's 3-in-30 review is owed; no interview, no contact reminder.
        var reminders = await (await worker.GetAsync($"/api/v1/cases/{opened.Id}/reminders")).ReadAsync<List<ReminderItem>>();
        reminders.ShouldHaveSingleItem().Rule.ShouldBe(ReminderRule.CaseReview);

        // Nothing queued for the prosecutor: no alert, no found notice.
        (await app.ScalarAsync("select count(*) from pare.alert_outbox where case_id = $1", opened.Id)).ShouldBe(0);
        await app.RunOpenEpisodeReviewAsync();
        (await app.ScalarAsync("select count(*) from pare.alert_outbox where case_id = $1", opened.Id)).ShouldBe(0);
        app.Smtp.Messages.ShouldNotContain(m => m.Subject!.Contains(opened.Reference));

        (await app.ScalarAsync("select count(*) from audit.access_journal where case_id = $1 and action = 'episode.read'", opened.Id)).ShouldBe(1);
    }

    [Fact]
    public async Task A_past_episode_is_amended_or_withdrawn_by_a_correction_and_overlaps_are_refused()
    {
        var cell = NewCell();
        await app.ConfigureCellAsync(cell, AlertScenarios.Criteria());
        var worker = app.Worker(cell);
        var opened = await worker.OpenCaseAsync();
        var past = await worker.RecordAsync($"/api/v1/cases/{opened.Id}/past-episodes", Past(Now.AddDays(-40), Now.AddDays(-39)));

        var overlap = await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/past-episodes", Past(Now.AddDays(-39).AddHours(-2), Now.AddDays(-38)));
        overlap.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await overlap.ProblemCodeAsync()).ShouldBe("episodes-overlap");
        var backwards = await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/past-episodes", Past(Now.AddDays(-3), Now.AddDays(-4)));
        (await backwards.ProblemFieldsAsync()).Keys.ShouldContain("returnedAt");

        var amended = await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/corrections",
            new { correctsVersion = past.EntryVersion, reason = "Wrong month", lastSeenAt = Now.AddDays(-10), returnedAt = Now.AddDays(-9) });
        amended.StatusCode.ShouldBe(HttpStatusCode.Created, await amended.Content.ReadAsStringAsync());
        (await worker.GetCaseAsync(opened.Id)).Facts.EpisodesInLast30Days.ShouldBe(1);

        var withdrawn = await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/corrections",
            new { correctsVersion = past.EntryVersion + 1, reason = "x" });
        (await withdrawn.ProblemCodeAsync()).ShouldBe("nothing-to-correct"); // a correction is not itself corrected
        var second = await worker.RecordAsync($"/api/v1/cases/{opened.Id}/past-episodes", Past(Now.AddDays(-60), Now.AddDays(-59)));
        (await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/corrections", new { correctsVersion = second.EntryVersion, reason = "Another child's file" }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        (await worker.GetCaseAsync(opened.Id)).Facts.EpisodeCount.ShouldBe(1);
    }
}
