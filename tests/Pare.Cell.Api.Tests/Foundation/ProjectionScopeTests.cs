using System.Net;
using Pare.Cell.Api.Tests.Alerts;
using Pare.Cell.Api.Tests.Cases;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Foundation;

/// <summary>
/// Each inline projection takes only its own stream's events. Without an allow-list Marten hands
/// every event to every single-stream projection: a contact logged on a case would also load and
/// write a policy document and look up a referral, all in the command's transaction.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ProjectionScopeTests(PareApp app)
{
    [Fact]
    public async Task Case_and_policy_events_write_one_document_each_of_their_own_kind()
    {
        var cell = $"cell-projections-{Guid.NewGuid():N}";
        var worker = app.Worker(cell);
        var opened = await worker.OpenCaseAsync();
        var episode = await worker.ReportRunawayAsync(opened.Id, app.Clock.GetUtcNow().AddHours(-1));
        (await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/episodes/{episode.EpisodeId}/contacts", Requests.Contact(), ifMatch: null))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        (await app.Head(cell).SendJsonAsync(HttpMethod.Put, "/api/v1/policy/criteria", AlertScenarios.Criteria(), rawIfMatch: "\"0\""))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        (await app.ScalarAsync("select count(*) from pare.mt_doc_case where tenant_id = $1", cell)).ShouldBe(1);
        (await app.ScalarAsync("select count(*) from pare.mt_doc_cellpolicy where tenant_id = $1", cell)).ShouldBe(1);
        (await app.ScalarAsync("select count(*) from pare.mt_doc_referral where tenant_id = $1", cell)).ShouldBe(0);
    }
}
