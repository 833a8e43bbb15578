using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Pare.Cell.Api.Tests.Cases;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Security;

/// <summary>
/// Finding 3: an answer to a write that carries the case is a read of it, journaled whatever the
/// method and whether anything changed. The suite-wide <see cref="ResponseWitness"/> checks every
/// response of every test for this; these tests pin the cases the tester found, and prove the
/// witness itself sees what it must.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class JournaledAnswersTests(PareApp app)
{
    private static readonly object SamePlacement = new { kind = "childWelfareEstablishment", establishment = "MECS Les Tilleuls" };

    [Fact]
    public async Task A_put_of_the_current_placement_with_if_match_star_shows_the_case_and_journals_it()
    {
        var cell = $"cell-ja-{Guid.NewGuid():N}"[..18];
        var opened = await app.Worker(cell).OpenCaseAsync();
        var other = app.As("colleague", cell, Api.Infrastructure.Auth.Roles.Worker);
        var answer = await other.SendJsonAsync(HttpMethod.Put, $"/api/v1/cases/{opened.Id}/placement", SamePlacement, rawIfMatch: "*");
        answer.StatusCode.ShouldBe(HttpStatusCode.OK, await answer.Content.ReadAsStringAsync());
        (await answer.Content.ReadAsStringAsync()).ShouldContain(opened.Minor.LastName);
        (await app.ScalarAsync("select count(*) from audit.access_journal where cell_id = $1 and case_id = $2 and user_id = 'colleague' and action = 'answer.change-placement'",
            cell, opened.Id)).ShouldBe(1);
    }

    [Fact]
    public async Task A_retried_opening_shows_the_case_again_and_journals_it_again()
    {
        var cell = $"cell-jr-{Guid.NewGuid():N}"[..18];
        var worker = app.Worker(cell);
        var body = CaseRequests.NewCase();
        var key = Guid.NewGuid().ToString();
        var first = await worker.PostJsonAsync("/api/v1/cases", body, ifMatch: null, idempotencyKey: key);
        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        var caseId = (await first.ReadAsync<Api.Cases.CaseView>()).Id;
        var replayed = await worker.PostJsonAsync("/api/v1/cases", body, ifMatch: null, idempotencyKey: key);
        replayed.Headers.GetValues("Idempotent-Replayed").ShouldBe(["true"]);
        (await app.ScalarAsync("select count(*) from audit.access_journal where case_id = $1 and action = 'answer.open-case'", caseId)).ShouldBe(1);
        (await app.ScalarAsync("select count(*) from audit.access_journal where case_id = $1 and action = 'answer.replay'", caseId)).ShouldBe(1);
    }

    [Fact]
    public async Task The_witness_sees_every_response_and_refuses_one_that_shows_a_case_without_a_journal_row_or_to_another_cell()
    {
        var cell = $"cell-jw-{Guid.NewGuid():N}"[..18];
        var opened = await app.Worker(cell).OpenCaseAsync();
        await app.Worker(cell).GetAsync($"/api/v1/cases/{opened.Id}");
        app.Witness.WithCanaries.ShouldBeGreaterThan(0);

        var watermark = await app.Witness.JournalWatermarkAsync();
        var body = $$"""{"lastName":"{{opened.Minor.LastName}}"}""";
        (await app.Witness.CheckAsync(Context(cell, "worker-1"), body, watermark)).ShouldNotBeNull().ShouldContain("no journal row");
        (await app.Witness.CheckAsync(Context("cell-elsewhere", "worker-1"), body, watermark)).ShouldNotBeNull().ShouldContain("another cell");
        await app.Worker(cell).GetAsync($"/api/v1/cases/{opened.Id}");
        (await app.Witness.CheckAsync(Context(cell, "worker-1"), body, watermark)).ShouldBeNull();
    }

    private static DefaultHttpContext Context(string cell, string user)
    {
        var context = new DefaultHttpContext { User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", user), new Claim("cell", cell)], "test")) };
        context.Request.Method = "GET";
        context.Request.Path = "/api/v1/anything";
        return context;
    }
}
