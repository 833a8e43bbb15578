using System.Net;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Cases.Profile;
using Pare.Cell.Api.Cases.Timeline;
using Pare.Cell.Api.Episodes.Reading;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Cases;

[Collection(ApiCollection.Name)]
public sealed class ProfileTimelineAndCorrectionTests(PareApp app)
{
    private DateTimeOffset Now => app.Clock.GetUtcNow();

    private static object Profile(string phone) => new
    {
        description = new { heightCm = 158, build = "slim", hair = "long, dark brown", eyes = "brown", distinguishingMarks = "scar on the left hand" },
        photoReference = "photos/case-17/2026-11.jpg",
        phones = new[] { phone },
        socialMedia = new[] { new { platform = "Snapchat", handle = "ines_17" } },
        associates = new[] { new { name = "Kévin", relationship = "older boyfriend", note = "about 24, drives a black car" } },
        placesFrequented = new[] { "Gare Part-Dieu", "Centre commercial" },
        health = new { medicalNeeds = "Asthma", takesMedication = true, disability = (string?)null, selfHarmRisk = false },
    };

    [Fact]
    public async Task Every_profile_change_is_kept_and_the_current_one_is_returned()
    {
        var worker = app.Worker();
        var opened = await worker.OpenCaseAsync();

        var first = await worker.PutJsonAsync($"/api/v1/cases/{opened.Id}/profile", Profile("0611111111"), opened.Version);
        first.StatusCode.ShouldBe(HttpStatusCode.OK);
        first.Headers.ETag!.Tag.ShouldBe("\"2\"");
        (await worker.PutJsonAsync($"/api/v1/cases/{opened.Id}/profile", Profile("0622222222"), 2)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var read = await worker.GetAsync($"/api/v1/cases/{opened.Id}/profile");
        read.StatusCode.ShouldBe(HttpStatusCode.OK);
        read.Headers.ETag!.Tag.ShouldBe("\"3\"");
        var profile = await read.ReadAsync<MinorProfileHistory>();
        profile.Current.Profile.Phones.ShouldBe(["0622222222"]);
        profile.Current.Profile.Health!.TakesMedication.ShouldBeTrue();
        profile.Current.UpdatedBy.ShouldBe("worker-1");
        profile.History.Select(h => h.Version).ShouldBe([3L, 2L]);
        profile.History[1].Profile.Phones.ShouldBe(["0611111111"]);
    }

    [Fact]
    public async Task An_invalid_profile_names_the_field_and_a_stale_one_is_412()
    {
        var worker = app.Worker();
        var opened = await worker.OpenCaseAsync();

        var invalid = await worker.PutJsonAsync($"/api/v1/cases/{opened.Id}/profile", new { description = new { heightCm = 900 }, socialMedia = new[] { new { platform = "" } } }, 1);
        invalid.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var fields = await invalid.ProblemFieldsAsync();
        fields.Keys.ShouldContain("description.heightCm");
        fields.Keys.ShouldContain("socialMedia[0].platform");

        (await worker.PutJsonAsync($"/api/v1/cases/{opened.Id}/profile", Profile("0611"), 1)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await worker.PutJsonAsync($"/api/v1/cases/{opened.Id}/profile", Profile("0622"), 1)).StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);
    }

    [Fact]
    public async Task The_timeline_lists_every_event_in_order_with_who_and_when()
    {
        var worker = app.Worker();
        var opened = await worker.OpenCaseAsync();
        var episode = await worker.ReportRunawayAsync(opened.Id, Now.AddHours(-6));
        await worker.RecordAsync($"/api/v1/cases/{opened.Id}/episodes/{episode.EpisodeId}/contacts", Requests.Contact(Now.AddHours(-5)));

        var response = await app.Worker(language: "fr").GetAsync($"/api/v1/cases/{opened.Id}/timeline");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var timeline = await response.ReadAsync<CaseTimeline>();
        // Under the default policy a first known runaway is a worrying disappearance, decided with the report.
        timeline.Entries.Select(e => e.Version).ShouldBe([1L, 2L, 3L, 4L]);
        timeline.Entries.Select(e => e.Type).ShouldBe(["caseOpened", "runawayReported", "episodeBecameWorrying", "episodeContactLogged"]);
        timeline.Entries[0].Summary.ShouldBe("Dossier ouvert.");
        timeline.Entries[1].OccurredAt.ShouldBe(Now.AddHours(-6));
        timeline.Entries[1].RecordedAt.ShouldBe(Now);
        timeline.Entries[1].RecordedBy.Id.ShouldBe("worker-1");
        timeline.Entries[1].EpisodeId.ShouldBe(episode.EpisodeId);
        timeline.Entries[1].Details["lastSeenPlace"]!.ToString().ShouldBe("Gare Part-Dieu");
        timeline.Entries[1].Details.ContainsKey("caseId").ShouldBeFalse();
    }

    [Fact]
    public async Task Timeline_summaries_write_values_in_words_never_as_type_names()
    {
        var worker = app.Worker();
        var opened = await worker.OpenCaseAsync();
        var episode = await worker.ReportRunawayAsync(opened.Id, Now.AddHours(-6));
        await worker.RecordAsync($"/api/v1/cases/{opened.Id}/episodes/{episode.EpisodeId}/contacts", Requests.Contact(Now.AddHours(-5), with: "parentOrGuardian"));

        var timeline = await (await worker.GetAsync($"/api/v1/cases/{opened.Id}/timeline")).ReadAsync<CaseTimeline>();

        var contact = timeline.Entries.Single(e => e.Type == "episodeContactLogged");
        contact.Details["with"]!.ToString().ShouldBe("parentOrGuardian");
        contact.Summary.ShouldBe("Contact with the parent or guardian by phone: no answer."); // was "ParentOrGuardian by Phone: NoAnswer"
        timeline.Entries.Single(e => e.Type == "runawayReported").Summary.ShouldBe("Runaway reported (runaway).");
        timeline.Entries.Single(e => e.Type == "episodeBecameWorrying").Summary.ShouldContain("first known episode");
    }

    [Fact]
    public async Task A_correction_references_the_original_and_the_timeline_shows_both()
    {
        var worker = app.Worker();
        var opened = await worker.OpenCaseAsync();
        var episode = await worker.ReportRunawayAsync(opened.Id, Now.AddHours(-6));
        var episodeUrl = $"/api/v1/cases/{opened.Id}/episodes/{episode.EpisodeId}";
        var contact = await worker.RecordAsync($"{episodeUrl}/contacts", Requests.Contact());

        var withdrawn = await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/corrections", new { correctsVersion = contact.EntryVersion, reason = "Logged on the wrong case" });
        withdrawn.StatusCode.ShouldBe(HttpStatusCode.Created);
        var amended = await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/corrections",
            new { correctsVersion = episode.EntryVersion, reason = "The educator misread the night log", lastSeenAt = Now.AddHours(-8) });
        amended.StatusCode.ShouldBe(HttpStatusCode.Created);

        var timeline = await (await worker.GetAsync($"/api/v1/cases/{opened.Id}/timeline")).ReadAsync<CaseTimeline>();
        var original = timeline.Entries.Single(e => e.Version == contact.EntryVersion);
        var correction = timeline.Entries.Single(e => e.Corrects == contact.EntryVersion);
        original.CorrectedBy.ShouldBe(correction.Version);
        timeline.Entries.Single(e => e.Version == episode.EntryVersion).CorrectedBy.ShouldNotBeNull();

        var view = await (await worker.GetAsync(episodeUrl)).ReadAsync<EpisodeView>();
        view.Contacts.ShouldHaveSingleItem().Corrected.ShouldBeTrue();
        view.LastSeenAt.ShouldBe(Now.AddHours(-8));
        (await worker.GetCaseAsync(opened.Id)).Facts.CurrentEpisode!.MinutesMissing.ShouldBe(8 * 60);

        var again = await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/corrections", new { correctsVersion = contact.EntryVersion, reason = "again" });
        (await again.ProblemCodeAsync()).ShouldBe("already-corrected");
        var opening = await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/corrections", new { correctsVersion = 1, reason = "no" });
        (await opening.ProblemCodeAsync()).ShouldBe("nothing-to-correct");
    }
}

[Collection(ApiCollection.Name)]
public sealed class IdempotencyTests(PareApp app)
{
    private DateTimeOffset Now => app.Clock.GetUtcNow();

    [Fact]
    public async Task The_same_key_and_body_return_the_original_response_and_write_once()
    {
        var worker = app.Worker();
        var opened = await worker.OpenCaseAsync();
        var url = $"/api/v1/cases/{opened.Id}/episodes";
        var body = Requests.Runaway(Now.AddHours(-2));
        var key = Guid.NewGuid().ToString();

        var first = await worker.PostJsonAsync(url, body, null, key);
        var retry = await worker.PostJsonAsync(url, body, null, key);

        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        retry.StatusCode.ShouldBe(HttpStatusCode.Created);
        retry.Headers.Location.ShouldBe(first.Headers.Location);
        retry.Headers.ETag.ShouldBe(first.Headers.ETag);
        retry.Headers.GetValues("Idempotent-Replayed").ShouldBe(["true"]);
        (await retry.Content.ReadAsStringAsync()).ShouldBe(await first.Content.ReadAsStringAsync());
        (await app.ScalarAsync("select count(*) from pare.mt_events where stream_id = $1 and type = 'runaway_reported'", opened.Id)).ShouldBe(1);
    }

    [Fact]
    public async Task Opening_a_case_twice_with_the_same_key_opens_one_case()
    {
        var head = app.As("head-idem", "cell-idem", Api.Infrastructure.Auth.Roles.Head);
        var key = Guid.NewGuid().ToString();
        var body = CaseRequests.NewCase();
        var first = await head.PostJsonAsync("/api/v1/cases", body, null, key);
        var retry = await head.PostJsonAsync("/api/v1/cases", body, null, key);

        retry.Headers.Location.ShouldBe(first.Headers.Location);
        (await app.ScalarAsync("select count(*) from pare.mt_streams where tenant_id = 'cell-idem'")).ShouldBe(1);
    }

    [Fact]
    public async Task Adding_a_partner_or_publishing_a_definition_twice_with_the_same_key_does_it_once()
    {
        var head = app.As("head-idem", $"cell-i-{Guid.NewGuid():N}"[..18], Api.Infrastructure.Auth.Roles.Head);
        var catalogue = await (await head.GetAsync("/api/v1/definitions/risk-indicators")).ReadObjectAsync();
        var writes = new (string Url, object Body, string Table)[]
        {
            ("/api/v1/partners", new { name = "Asso", type = "association" }, "mt_doc_partner"),
            ("/api/v1/definitions/risk-indicators", new { indicators = catalogue["indicators"] }, "mt_doc_publishedcatalogue"),
        };
        foreach (var (url, body, table) in writes)
        {
            var rows = await app.ScalarAsync($"select count(*) from pare.{table}");
            var key = Guid.NewGuid().ToString();
            var first = await head.PostJsonAsync(url, body, null, key);
            var retry = await head.PostJsonAsync(url, body, null, key);

            first.StatusCode.ShouldBe(HttpStatusCode.Created, await first.Content.ReadAsStringAsync());
            retry.Headers.GetValues("Idempotent-Replayed").ShouldBe(["true"], url);
            (await retry.Content.ReadAsStringAsync()).ShouldBe(await first.Content.ReadAsStringAsync());
            (await app.ScalarAsync($"select count(*) from pare.{table}")).ShouldBe(rows + 1, url);
        }
    }

    [Fact]
    public async Task Concurrent_retries_with_one_key_write_once()
    {
        var worker = app.Worker();
        var opened = await worker.OpenCaseAsync();
        var episode = await worker.ReportRunawayAsync(opened.Id, Now.AddHours(-2));
        var url = $"/api/v1/cases/{opened.Id}/episodes/{episode.EpisodeId}/information";
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => app.Worker().PostJsonAsync(url, new { information = "Seen near the station" }, null, key)));

        // The retries wait for the first on the key, then get its answer.
        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.Created);
        (await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()))).Distinct().Count().ShouldBe(1);
        (await app.ScalarAsync("select count(*) from pare.mt_events where stream_id = $1 and type = 'episode_information_added'", opened.Id)).ShouldBe(1);
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_422_and_writes_nothing()
    {
        var worker = app.Worker();
        var opened = await worker.OpenCaseAsync();
        var episode = await worker.ReportRunawayAsync(opened.Id, Now.AddHours(-2));
        var url = $"/api/v1/cases/{opened.Id}/episodes/{episode.EpisodeId}/contacts";
        var key = Guid.NewGuid().ToString();

        (await worker.PostJsonAsync(url, Requests.Contact(outcome: "noAnswer"), null, key)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var other = await app.Worker(language: "fr").PostJsonAsync(url, Requests.Contact(outcome: "reached"), null, key);

        other.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await other.ReadObjectAsync())["detail"]!.ToString().ShouldContain("Idempotency-Key");
        (await app.ScalarAsync("select count(*) from pare.mt_events where stream_id = $1 and type = 'episode_contact_logged'", opened.Id)).ShouldBe(1);
    }

    [Fact]
    public async Task A_refused_command_is_not_remembered_and_its_retry_is_decided_again()
    {
        var worker = app.Worker();
        var opened = await worker.OpenCaseAsync();
        var key = Guid.NewGuid().ToString();
        var invalid = Requests.Runaway(Now.AddHours(-2));
        invalid["lastSeenPlace"] = "";

        (await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/episodes", invalid, null, key)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/episodes", invalid, null, key)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }
}

[Collection(ApiCollection.Name)]
public sealed class AccessJournalTests(PareApp app)
{
    [Fact]
    public async Task Every_read_of_case_data_adds_one_journal_entry_per_endpoint()
    {
        var worker = app.Worker();
        var opened = await worker.OpenCaseAsync();
        var episode = await worker.ReportRunawayAsync(opened.Id, app.Clock.GetUtcNow().AddHours(-1));
        var reader = app.As("journal-reader", PareApp.CellA, Api.Infrastructure.Auth.Roles.Head);

        string[] reads =
        [
            $"/api/v1/cases/{opened.Id}",
            $"/api/v1/cases/{opened.Id}/profile",
            $"/api/v1/cases/{opened.Id}/episodes",
            $"/api/v1/cases/{opened.Id}/episodes/{episode.EpisodeId}",
            $"/api/v1/cases/{opened.Id}/timeline",
            $"/api/v1/cases/{opened.Id}/episodes/{episode.EpisodeId}/return-interview",
            $"/api/v1/cases/{opened.Id}/risk-assessments",
            $"/api/v1/cases/{opened.Id}/reminders",
        ];
        foreach (var url in reads)
            for (var i = 0; i < 2; i++)
                (await reader.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var byAction = await app.ScalarAsync(
            "select count(distinct action) from audit.access_journal where case_id = $1 and user_id = 'journal-reader'", opened.Id);
        byAction.ShouldBe(reads.Length);
        (await app.ScalarAsync("select count(*) from audit.access_journal where case_id = $1 and user_id = 'journal-reader'", opened.Id))
            .ShouldBe(reads.Length * 2);
    }
}
