using System.Net;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Tests.Infrastructure;
using Pare.Cell.Domain.Cases;

namespace Pare.Cell.Api.Tests.Cases;

[Collection(ApiCollection.Name)]
public sealed class CaseLifecycleApiTests(PareApp app)
{
    private static object Assignment(string worker = "worker-2") => new { workerId = worker, reason = "Caseload balance" };

    [Fact]
    public async Task A_head_reassigns_the_worker_with_the_current_version()
    {
        var opened = await app.Worker().OpenCaseAsync();

        var response = await app.Head().PutJsonAsync($"/api/v1/cases/{opened.Id}/assignment", Assignment(), ifMatch: opened.Version);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.ETag!.Tag.ShouldBe("\"2\"");
        (await response.ReadAsync<CaseView>()).AssignedWorkerId.ShouldBe("worker-2");
        (await app.Worker().GetCaseAsync(opened.Id)).AssignedWorkerId.ShouldBe("worker-2");
    }

    [Fact]
    public async Task A_worker_cannot_reassign_close_or_reopen()
    {
        var opened = await app.Worker().OpenCaseAsync();
        var worker = app.Worker();

        (await worker.PutJsonAsync($"/api/v1/cases/{opened.Id}/assignment", Assignment(), opened.Version)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/closure", new { reason = "movedAway" }, opened.Version)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/reopening", new { reason = "x" }, opened.Version)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await app.Worker().GetCaseAsync(opened.Id)).Version.ShouldBe(1);
    }

    [Fact]
    public async Task An_update_without_If_Match_answers_428_and_changes_nothing()
    {
        var opened = await app.Worker().OpenCaseAsync();

        var response = await app.Head(language: "fr").PutJsonAsync($"/api/v1/cases/{opened.Id}/assignment", Assignment(), ifMatch: null);

        response.StatusCode.ShouldBe((HttpStatusCode)428);
        (await response.ReadObjectAsync())["detail"]!.ToString().ShouldContain("If-Match");
        (await app.Worker().GetCaseAsync(opened.Id)).Version.ShouldBe(1);
    }

    [Fact]
    public async Task A_stale_If_Match_answers_412_and_changes_nothing()
    {
        var opened = await app.Worker().OpenCaseAsync();
        var head = app.Head();
        (await head.PutJsonAsync($"/api/v1/cases/{opened.Id}/placement", new { kind = "fosterFamily" }, opened.Version)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var stale = await head.PutJsonAsync($"/api/v1/cases/{opened.Id}/assignment", Assignment(), ifMatch: opened.Version);

        stale.StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);
        (await app.Worker().GetCaseAsync(opened.Id)).AssignedWorkerId.ShouldBe("worker-1");
    }

    [Fact]
    public async Task A_malformed_If_Match_answers_400_naming_the_header()
    {
        var opened = await app.Worker().OpenCaseAsync();
        var response = await app.Head().SendJsonAsync(HttpMethod.Put, $"/api/v1/cases/{opened.Id}/assignment", Assignment(), rawIfMatch: "\"yesterday\"");
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ProblemFieldsAsync()).Keys.ShouldContain("If-Match");
    }

    [Fact]
    public async Task Twenty_parallel_writes_with_the_same_If_Match_leave_exactly_one_winner()
    {
        var opened = await app.Worker().OpenCaseAsync();
        var clients = Enumerable.Range(0, 20).Select(_ => app.Head()).ToList();

        var responses = await Task.WhenAll(clients.Select((c, i) =>
            c.PutJsonAsync($"/api/v1/cases/{opened.Id}/assignment", Assignment($"worker-{i + 10}"), ifMatch: opened.Version)));

        responses.Count(r => r.StatusCode == HttpStatusCode.OK).ShouldBe(1);
        responses.Count(r => r.StatusCode == HttpStatusCode.PreconditionFailed).ShouldBe(19);
        (await app.ScalarAsync("select count(*) from pare.mt_events where stream_id = $1", opened.Id)).ShouldBe(2);
        var winner = await responses.Single(r => r.StatusCode == HttpStatusCode.OK).ReadAsync<CaseView>();
        (await app.Worker().GetCaseAsync(opened.Id)).AssignedWorkerId.ShouldBe(winner.AssignedWorkerId);
    }

    [Fact]
    public async Task Placement_and_guardian_contacts_are_updated_and_validated()
    {
        var opened = await app.Worker().OpenCaseAsync();
        var worker = app.Worker(language: "fr");

        var invalid = await worker.PutJsonAsync($"/api/v1/cases/{opened.Id}/placement", new { kind = "childWelfareEstablishment" }, opened.Version);
        invalid.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await invalid.ProblemFieldsAsync())["establishment"].ShouldContain(m => m.Contains("établissement"));

        var placed = await worker.PutJsonAsync($"/api/v1/cases/{opened.Id}/placement", new { kind = "fosterFamily" }, opened.Version);
        placed.StatusCode.ShouldBe(HttpStatusCode.OK);

        var guardians = new { guardians = new[] { new { name = "Nadia Moreau", relationship = "mother", phone = "0600000000", email = "nadia@example.org" } } };
        var updated = await worker.PutJsonAsync($"/api/v1/cases/{opened.Id}/guardians", guardians, 2);
        updated.StatusCode.ShouldBe(HttpStatusCode.OK);
        var view = await updated.ReadAsync<CaseView>();
        view.Placement.Kind.ShouldBe(PlacementKind.FosterFamily);
        view.Guardians.ShouldHaveSingleItem().Name.ShouldBe("Nadia Moreau");

        var badEmail = await worker.PutJsonAsync($"/api/v1/cases/{opened.Id}/guardians",
            new { guardians = new[] { new { name = "X", relationship = "father", email = "not-an-email" } } }, 3);
        (await badEmail.ProblemFieldsAsync()).Keys.ShouldContain("guardians[0].email");
    }

    [Fact]
    public async Task A_head_closes_and_reopens_a_case_and_a_closed_case_refuses_new_facts()
    {
        var opened = await app.Worker().OpenCaseAsync();
        var head = app.Head();

        var closed = await head.PostJsonAsync($"/api/v1/cases/{opened.Id}/closure", new { reason = "reachedMajority" }, opened.Version);
        closed.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await closed.ReadAsync<CaseView>()).Status.ShouldBe(CaseStatus.Closed);

        var refused = await app.Worker("cell-a", "fr").PostJsonAsync($"/api/v1/cases/{opened.Id}/episodes", Requests.Runaway(app.Clock.GetUtcNow().AddHours(-1)));
        refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await refused.ProblemCodeAsync()).ShouldBe("case-closed");
        (await refused.ReadObjectAsync())["detail"]!.ToString().ShouldStartWith("Ce dossier est clos");

        var reopened = await head.PostJsonAsync($"/api/v1/cases/{opened.Id}/reopening", new { reason = "New concerns from the school" }, 2);
        reopened.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await reopened.ReadAsync<CaseView>()).Status.ShouldBe(CaseStatus.Open);
    }

    [Fact]
    public async Task Closing_without_a_reason_is_400_and_closing_while_the_minor_is_missing_is_409()
    {
        var opened = await app.Worker().OpenCaseAsync();
        var head = app.Head();
        (await (await head.PostJsonAsync($"/api/v1/cases/{opened.Id}/closure", new { note = "x" }, 1)).ProblemFieldsAsync()).Keys.ShouldContain("reason");

        var episode = await app.Worker().ReportRunawayAsync(opened.Id, app.Clock.GetUtcNow().AddHours(-2));
        var refused = await head.PostJsonAsync($"/api/v1/cases/{opened.Id}/closure", new { reason = "movedAway" }, episode.Version);
        refused.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await refused.ProblemCodeAsync()).ShouldBe("minor-missing");
    }

    [Fact]
    public async Task Lifecycle_endpoints_answer_404_for_a_case_of_another_cell()
    {
        var opened = await app.Worker().OpenCaseAsync();
        var otherHead = app.Head(PareApp.CellB);

        (await otherHead.PutJsonAsync($"/api/v1/cases/{opened.Id}/assignment", Assignment(), 1)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await otherHead.PutJsonAsync($"/api/v1/cases/{opened.Id}/placement", new { kind = "atHome" }, 1)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await otherHead.PutJsonAsync($"/api/v1/cases/{opened.Id}/guardians", new { guardians = Array.Empty<object>() }, 1)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await otherHead.PostJsonAsync($"/api/v1/cases/{opened.Id}/closure", new { reason = "movedAway" }, 1)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await otherHead.PutJsonAsync($"/api/v1/cases/{opened.Id}/profile", new { phones = new[] { "0600" } }, 1)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await otherHead.GetAsync($"/api/v1/cases/{opened.Id}/profile")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await otherHead.GetAsync($"/api/v1/cases/{opened.Id}/timeline")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await app.Worker().GetCaseAsync(opened.Id)).Version.ShouldBe(1);
    }

    [Fact]
    public async Task Listing_filters_by_status_and_open_episode()
    {
        var head = app.As("head-s", "cell-status", Api.Infrastructure.Auth.Roles.Head);
        var quiet = await head.OpenCaseAsync();
        var missing = await head.OpenCaseAsync();
        var closed = await head.OpenCaseAsync();
        await head.ReportRunawayAsync(missing.Id, app.Clock.GetUtcNow().AddHours(-1));
        await head.PostJsonAsync($"/api/v1/cases/{closed.Id}/closure", new { reason = "movedAway" }, 1);

        async Task<IEnumerable<Guid>> Ids(string query)
        {
            var response = await head.GetAsync($"/api/v1/cases?{query}");
            response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            return (await response.ReadAsync<OpeningAndReadingACaseTests.CasePageDto>()).Items.Select(c => c.Id);
        }

        (await Ids("status=closed")).ShouldBe([closed.Id]);
        (await Ids("hasOpenEpisode=true")).ShouldBe([missing.Id]);
        (await Ids("status=open&hasOpenEpisode=false")).ShouldBe([quiet.Id]);
    }
}
