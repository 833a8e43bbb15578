using System.Net;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Database;
using Pare.Cell.Api.Tests.Cases;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Security;

[Collection(ApiCollection.Name)]
public sealed class AccessJournalQueryTests(PareApp app)
{
    [Fact]
    public async Task Heads_query_the_journal_by_case_and_by_user_and_see_heavy_readers()
    {
        var cell = $"cell-j-{Guid.NewGuid():N}"[..18];
        var head = app.As("head-j", cell, Roles.Head);
        var curious = app.As("curious", cell, Roles.Worker);
        var cases = new List<Guid>();
        for (var i = 0; i < 32; i++) cases.Add((await head.OpenCaseAsync()).Id);
        foreach (var id in cases) await curious.GetAsync($"/api/v1/cases/{id}");

        var byCase = await (await head.GetAsync($"/api/v1/access-journal?caseId={cases[0]}")).ReadAsync<List<AccessJournalApi.JournalEntry>>();
        byCase.Select(e => (e.UserId, e.Action)).ShouldBe([("curious", "case.read"), ("head-j", "answer.open-case")], ignoreOrder: true);
        var byUser = await (await head.GetAsync("/api/v1/access-journal?userId=curious&limit=1000")).ReadAsync<List<AccessJournalApi.JournalEntry>>();
        byUser.Select(e => e.CaseId).Distinct().Count().ShouldBe(32);

        var heavy = await (await head.GetAsync("/api/v1/access-journal/heavy-readers")).ReadAsync<List<AccessJournalApi.HeavyReader>>();
        heavy.Select(h => h.UserId).ShouldBe(["curious", "head-j"], ignoreOrder: true); // opening 32 cases in an hour shows too

        (await curious.GetAsync("/api/v1/access-journal?userId=curious")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        foreach (var limit in new[] { "0", "-5", "1001" })
        {
            var refused = await head.GetAsync($"/api/v1/access-journal?userId=curious&limit={limit}");
            refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest, limit);
            (await refused.ProblemFieldsAsync()).Keys.ShouldBe(["limit"]);
        }
        (await (await app.Head(PareApp.CellB).GetAsync($"/api/v1/access-journal?caseId={cases[0]}")).ReadAsync<List<AccessJournalApi.JournalEntry>>()).ShouldBeEmpty();
    }
}
