using System.Net;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Cases.Timeline;
using Pare.Cell.Api.Tests.Infrastructure;
using Pare.Cell.Api.Tests.Search;

namespace Pare.Cell.Api.Tests.Cases;

[Collection(ApiCollection.Name)]
public sealed class DuplicateOpeningTests(PareApp app)
{
    private static string NewCell() => $"cell-d-{Guid.NewGuid():N}"[..18];

    [Fact]
    public async Task Opening_a_probable_duplicate_answers_409_with_the_candidates_and_opens_only_when_the_worker_confirms_another_person()
    {
        var cell = NewCell();
        var worker = app.Worker(cell);
        var lea = await SearchApiTests.OpenWithProfileAsync(worker, "Léa", "Martin", "2011-04-02", SearchApiTests.Profile(aliases: ["Lilou"]));
        var events = await app.EventCountAsync();

        foreach (var (first, last, born) in new[] { ("lea", "MARTINN", "2011-04-02"), ("Martin", "Léa", "2011-04-03"), ("Lilou", "Martin", "2011-04-02") })
        {
            var refused = await worker.PostJsonAsync("/api/v1/cases", CaseRequests.NewCase(first, last, born));
            refused.StatusCode.ShouldBe(HttpStatusCode.Conflict, $"{first} {last}");
            var problem = await refused.ReadObjectAsync();
            problem["code"]!.ToString().ShouldBe("probable-duplicate");
            var candidate = problem["candidates"]!.AsArray().ShouldHaveSingleItem()!.AsObject();
            candidate["caseId"]!.GetValue<Guid>().ShouldBe(lea.Id);
            candidate["reference"]!.ToString().ShouldBe(lea.Reference);
            candidate["firstName"]!.ToString().ShouldBe("Léa");
            candidate["dateOfBirth"]!.ToString().ShouldBe("2011-04-02");
            candidate["assignedWorkerId"]!.ToString().ShouldBe("worker-1");
        }
        (await app.EventCountAsync()).ShouldBe(events); // nothing opened
        (await app.ScalarAsync("select count(*) from audit.access_journal where case_id = $1 and action = 'case.duplicate-candidates'", lea.Id)).ShouldBe(3);

        // The twin sister and another Léa Martin born years later are not stopped.
        await worker.OpenCaseAsync(CaseRequests.NewCase("Lina", "Martin", "2011-04-02"));
        await worker.OpenCaseAsync(CaseRequests.NewCase("Léa", "Martin", "2014-09-12"));

        var body = CaseRequests.NewCase("Lea", "Martin", "2011-04-02");
        body["confirmDistinct"] = true;
        var confirmed = await worker.PostJsonAsync("/api/v1/cases", body);
        confirmed.StatusCode.ShouldBe(HttpStatusCode.Created, await confirmed.Content.ReadAsStringAsync());
        var opened = await confirmed.ReadAsync<CaseView>();
        var timeline = await (await worker.GetAsync($"/api/v1/cases/{opened.Id}/timeline")).ReadAsync<CaseTimeline>();
        timeline.Entries[0].Details["confirmedDistinctFrom"]!.AsArray().Select(n => n!.GetValue<Guid>()).ShouldBe([lea.Id]);

        // Another cell's Léa Martin is never a candidate.
        (await app.Worker(NewCell()).PostJsonAsync("/api/v1/cases", CaseRequests.NewCase("Léa", "Martin", "2011-04-02"))).StatusCode.ShouldBe(HttpStatusCode.Created);
    }
}
