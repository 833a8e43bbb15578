using System.Net;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Episodes.Reading;
using Pare.Cell.Api.Tests.Cases;
using Pare.Cell.Api.Tests.Infrastructure;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Episodes;

namespace Pare.Cell.Api.Tests.Episodes;

[Collection(ApiCollection.Name)]
public sealed class EpisodeApiTests(PareApp app)
{
    private DateTimeOffset Now => app.Clock.GetUtcNow();

    [Fact]
    public async Task Reporting_a_runaway_opens_an_episode_shown_on_the_case()
    {
        var worker = app.Worker();
        var opened = await worker.OpenCaseAsync();

        var response = await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/episodes", Requests.Runaway(Now.AddHours(-3)));

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var recorded = await response.ReadAsync<EntryRecorded>();
        response.Headers.Location!.ToString().ShouldBe($"/api/v1/cases/{opened.Id}/episodes/{recorded.EpisodeId}");
        recorded.EntryVersion.ShouldBe(2);
        // Under the default policy a first known runaway is worrying: decided with the report.
        recorded.Version.ShouldBe(3);
        response.Headers.ETag!.Tag.ShouldBe("\"3\"");
        var facts = (await worker.GetCaseAsync(opened.Id)).Facts;
        facts.EpisodeCount.ShouldBe(1);
        facts.CurrentEpisode!.EpisodeId.ShouldBe(recorded.EpisodeId!.Value);
        facts.CurrentEpisode.MinutesMissing.ShouldBe(180);
        facts.CurrentEpisode.Classification.ShouldBe(RunawayClassification.WorryingDisappearance);
    }

    [Fact]
    public async Task A_second_open_episode_is_409_with_a_reason_in_French()
    {
        var worker = app.Worker(language: "fr");
        var opened = await worker.OpenCaseAsync();
        await worker.ReportRunawayAsync(opened.Id, Now.AddHours(-3));

        var second = await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/episodes", Requests.Runaway(Now.AddHours(-1)));

        second.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await second.ProblemCodeAsync()).ShouldBe("episode-already-open");
        (await second.ReadObjectAsync())["detail"]!.ToString().ShouldStartWith("Une fugue est déjà en cours");
        (await app.ScalarAsync("select count(*) from pare.mt_events where stream_id = $1 and type = 'runaway_reported'", opened.Id)).ShouldBe(1);
    }

    [Fact]
    public async Task The_whole_episode_from_report_to_closure_reads_back_in_full()
    {
        var worker = app.Worker();
        var opened = await worker.OpenCaseAsync();
        var episode = (await worker.ReportRunawayAsync(opened.Id, Now.AddHours(-10))).EpisodeId!.Value;
        var url = $"/api/v1/cases/{opened.Id}/episodes/{episode}";

        var contact = await worker.RecordAsync($"{url}/contacts", Requests.Contact(Now.AddHours(-8)));
        await worker.RecordAsync($"{url}/contacts", new Dictionary<string, object?>
        {
            ["with"] = "parentOrGuardian", ["channel"] = "phone", ["outcome"] = "reached",
            ["supportOfferedToFamily"] = "Referred to 116 000 family follow-up",
        });
        await worker.RecordAsync($"{url}/sightings", new { seenAt = Now.AddHours(-6), place = "Quai de Saône", source = "Street educator" });
        await worker.RecordAsync($"{url}/information", new { information = "A friend says she mentioned Marseille" });
        var returned = await worker.RecordAsync($"{url}/return", Requests.Return(Now.AddHours(-2)));
        var closing = await worker.PostJsonAsync($"{url}/closure", new { });
        closing.StatusCode.ShouldBe(HttpStatusCode.Created);

        var read = await worker.GetAsync(url);
        read.StatusCode.ShouldBe(HttpStatusCode.OK);
        var view = await read.ReadAsync<EpisodeView>();
        view.Status.ShouldBe(EpisodeStatus.Closed);
        view.LastSeenAt.ShouldBe(Now.AddHours(-10));
        view.ReportedBy.ShouldBe("Night educator, MECS Les Tilleuls");
        view.MinutesMissing.ShouldBe(8 * 60);
        view.Contacts.Count.ShouldBe(2);
        view.Contacts[0].Version.ShouldBe(contact.EntryVersion);
        view.Contacts[0].OccurredAt.ShouldBe(Now.AddHours(-8));
        view.Contacts[0].RecordedAt.ShouldBe(Now);
        view.Contacts[1].SupportOfferedToFamily.ShouldBe("Referred to 116 000 family follow-up");
        view.Sightings.ShouldHaveSingleItem().Place.ShouldBe("Quai de Saône");
        view.Information.ShouldHaveSingleItem().Information.ShouldContain("Marseille");
        view.Return!.Version.ShouldBe(returned.EntryVersion);
        view.Return.How.ShouldBe(ReturnMode.CameBackAlone);
        view.Return.SafetyCheck.Done.ShouldBeTrue();

        var list = await (await worker.GetAsync($"/api/v1/cases/{opened.Id}/episodes")).ReadAsync<List<EpisodeSummaryView>>();
        list.ShouldHaveSingleItem().ContactCount.ShouldBe(2);

        var facts = (await worker.GetCaseAsync(opened.Id)).Facts;
        facts.CurrentEpisode.ShouldBeNull();
        facts.TotalMinutesMissing.ShouldBe(8 * 60);
        facts.LongestMinutesMissing.ShouldBe(8 * 60);
    }

    [Fact]
    public async Task A_return_before_the_last_seen_time_is_409_and_a_contact_on_a_closed_episode_is_409()
    {
        var worker = app.Worker();
        var opened = await worker.OpenCaseAsync();
        var episode = (await worker.ReportRunawayAsync(opened.Id, Now.AddHours(-5))).EpisodeId!.Value;
        var url = $"/api/v1/cases/{opened.Id}/episodes/{episode}";

        var early = await worker.PostJsonAsync($"{url}/return", Requests.Return(Now.AddHours(-6)));
        early.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await early.ProblemCodeAsync()).ShouldBe("return-before-last-seen");

        var closeTooSoon = await worker.PostJsonAsync($"{url}/closure", new { });
        (await closeTooSoon.ProblemCodeAsync()).ShouldBe("not-returned");

        await worker.RecordAsync($"{url}/return", Requests.Return(Now.AddHours(-1)));
        var twice = await worker.PostJsonAsync($"{url}/return", Requests.Return(Now));
        (await twice.ProblemCodeAsync()).ShouldBe("already-returned");

        await worker.RecordAsync($"{url}/closure", new { });
        var late = await worker.PostJsonAsync($"{url}/contacts", Requests.Contact());
        late.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await late.ProblemCodeAsync()).ShouldBe("episode-closed");
    }

    [Fact]
    public async Task An_unknown_episode_is_404()
    {
        var worker = app.Worker();
        var opened = await worker.OpenCaseAsync();
        var url = $"/api/v1/cases/{opened.Id}/episodes/{Guid.NewGuid()}";
        (await worker.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await worker.PostJsonAsync($"{url}/contacts", Requests.Contact())).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Every_episode_endpoint_answers_404_to_another_cell_and_writes_nothing()
    {
        var worker = app.Worker();
        var opened = await worker.OpenCaseAsync();
        var episode = (await worker.ReportRunawayAsync(opened.Id, Now.AddHours(-5))).EpisodeId!.Value;
        var url = $"/api/v1/cases/{opened.Id}/episodes/{episode}";
        var intruder = app.Worker(PareApp.CellB);
        var before = await app.EventCountAsync();

        (await intruder.PostJsonAsync($"/api/v1/cases/{opened.Id}/episodes", Requests.Runaway(Now))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await intruder.GetAsync($"/api/v1/cases/{opened.Id}/episodes")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await intruder.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await intruder.PostJsonAsync($"{url}/contacts", Requests.Contact())).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await intruder.PostJsonAsync($"{url}/sightings", new { seenAt = Now, place = "x", source = "y" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await intruder.PostJsonAsync($"{url}/information", new { information = "x" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await intruder.PostJsonAsync($"{url}/return", Requests.Return(Now))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await intruder.PostJsonAsync($"{url}/closure", new { })).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        (await app.EventCountAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task Invalid_episode_input_is_400_naming_the_field_in_French()
    {
        var worker = app.Worker(language: "fr");
        var opened = await worker.OpenCaseAsync();
        var report = Requests.Runaway(Now.AddHours(2));
        report.Remove("lastSeenPlace");
        report["classification"] = "kidnapping";

        var bad = await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/episodes", report);
        (await bad.ProblemFieldsAsync()).Keys.ShouldContain("classification");

        report["classification"] = "worryingDisappearance";
        var fields = await (await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/episodes", report)).ProblemFieldsAsync();
        fields["lastSeenAt"].ShouldContain("Cette heure est dans le futur.");
        fields.Keys.ShouldContain("lastSeenPlace");

        var episode = (await worker.ReportRunawayAsync(opened.Id, Now.AddHours(-1))).EpisodeId;
        var contact = await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/episodes/{episode}/contacts", new { with = "minor", channel = "carrierPigeon", outcome = "reached" });
        (await contact.ProblemFieldsAsync()).Keys.ShouldContain("channel");
        var noCheck = await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/episodes/{episode}/return", new { returnedAt = Now, how = "foundByPolice" });
        (await noCheck.ProblemFieldsAsync()).Keys.ShouldContain("safetyCheck");
    }

    [Fact]
    public async Task A_stale_If_Match_on_an_episode_command_is_412()
    {
        var worker = app.Worker();
        var opened = await worker.OpenCaseAsync();
        var episode = await worker.ReportRunawayAsync(opened.Id, Now.AddHours(-1));
        var url = $"/api/v1/cases/{opened.Id}/episodes/{episode.EpisodeId}/contacts";

        (await worker.PostJsonAsync(url, Requests.Contact(), ifMatch: episode.Version)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await worker.PostJsonAsync(url, Requests.Contact(), ifMatch: episode.Version)).StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);
    }

    [Fact]
    public async Task Three_episodes_in_30_days_raise_the_repeated_runaway_flag()
    {
        var worker = app.Worker();
        var opened = await worker.OpenCaseAsync();
        for (var days = 20; days >= 0; days -= 10)
        {
            var episode = (await worker.ReportRunawayAsync(opened.Id, Now.AddDays(-days).AddHours(-4))).EpisodeId;
            await worker.RecordAsync($"/api/v1/cases/{opened.Id}/episodes/{episode}/return", Requests.Return(Now.AddDays(-days).AddHours(-1)));
        }

        var facts = (await worker.GetCaseAsync(opened.Id)).Facts;
        facts.EpisodesInLast30Days.ShouldBe(3);
        facts.RepeatedRunaways.ShouldBeTrue();
    }
}
