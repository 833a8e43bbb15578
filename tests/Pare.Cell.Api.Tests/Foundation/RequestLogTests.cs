using System.Net;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Foundation;

[Collection(ApiCollection.Name)]
public sealed class RequestLogTests(PareApp app)
{
    [Fact]
    public async Task A_client_s_mistake_is_logged_with_the_status_it_got_not_as_a_server_error()
    {
        var cell = $"cell-rl-{Guid.NewGuid():N}"[..18];
        var path = "/api/v1/policy/reminders";

        // Valid, then refused by an exception the pipeline turns into a 428 (no If-Match).
        var response = await app.Head(cell).SendJsonAsync(HttpMethod.Put, path, new
        {
            returnInterviewHours = 72, contactEveryHours = 24, caseReviewEpisodes = 3, caseReviewWithinDays = 90,
            escalateOverdueAfterHours = 24, referralFollowUpWorkingDays = 5,
        });
        response.StatusCode.ShouldBe((HttpStatusCode)428);

        // Rendered with quoted values and this request's cell: HTTP "PUT" "/api/v1/policy/reminders" responded 428 in … ms … CellId="…".
        bool Mine(string line, int status) => line.Contains($"\"{path}\" responded {status} ", StringComparison.Ordinal) && line.Contains(cell, StringComparison.Ordinal);
        await app.Logs.WaitForAsync(l => Mine(l, 428));
        app.Logs.Lines.Count(l => Mine(l, 428)).ShouldBe(1);
        app.Logs.Lines.Count(l => Mine(l, 500)).ShouldBe(0);
    }
}
