using System.Net;
using Pare.Cell.Api.Tests.Cases;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Foundation;

/// <summary>
/// The kill -9 drill's 500s: while PostgreSQL starts up or shuts down it refuses connections with
/// SQLSTATE 57P03 (and 53300 when full), which the API answered "500 An unexpected error occurred",
/// logged as unhandled with a stack trace. An outage is a 503 with a Retry-After that fits how soon
/// PostgreSQL is back (1 s), and a warning in the log, no stack trace.
/// </summary>
public sealed class DatabaseRestartTests(AppBehindProxy app) : IClassFixture<AppBehindProxy>
{
    [Theory]
    [InlineData("57P03", "the database system is starting up")]
    [InlineData("57P03", "the database system is not yet accepting connections")]
    [InlineData("57P03", "the database system is shutting down")]
    [InlineData("53300", "sorry, too many clients already")]
    public async Task A_database_refusing_connections_is_a_503_with_retry_after_1_and_no_stack_trace(string sqlState, string message)
    {
        var worker = app.Worker();
        var opened = await worker.OpenCaseAsync();
        var logged = app.Logs.Lines.Count;
        app.Proxy.AnswerWith(sqlState, message);
        try
        {
            foreach (var response in new[]
            {
                await worker.PostJsonAsync("/api/v1/cases", Cases.CaseRequests.NewCase()),
                await worker.GetAsync($"/api/v1/cases/{opened.Id}"),
                await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/episodes", Requests.Runaway(app.Clock.GetUtcNow().AddHours(-1)), null, Guid.NewGuid().ToString()),
            })
            {
                response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable, await response.Content.ReadAsStringAsync());
                response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
                response.Headers.RetryAfter!.Delta.ShouldBe(TimeSpan.FromSeconds(1));
            }
        }
        finally
        {
            app.Proxy.Restore();
        }

        var lines = app.Logs.Lines.Skip(logged).ToList();
        lines.ShouldContain(l => l.Contains("Database unavailable", StringComparison.Ordinal) && l.Contains(sqlState, StringComparison.Ordinal));
        lines.ShouldNotContain(l => l.Contains("Unhandled error", StringComparison.Ordinal) || l.Contains("   at ", StringComparison.Ordinal));
        (await worker.GetAsync($"/api/v1/cases/{opened.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
