using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Configuration;
using Pare.Cell.Api.Infrastructure.Logging;
using Pare.Cell.Api.Tests.Infrastructure;
using Serilog.Events;
using Serilog.Parsing;

namespace Pare.Cell.Api.Tests.Operations;

[Collection(ApiCollection.Name)]
public sealed class TelemetryTests(PareApp app)
{
    [Fact]
    public async Task A_problem_answer_s_traceId_is_the_W3C_trace_id_of_its_log_lines()
    {
        var cell = $"cell-tr-{Guid.NewGuid():N}"[..18];
        var response = await app.Worker(cell).PostJsonAsync("/api/v1/cases", new { firstName = "" });
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var traceId = (await response.ReadObjectAsync())["traceId"]!.GetValue<string>();
        ActivityTraceId.CreateFromString(traceId).ToHexString().ShouldBe(traceId); // 32 lowercase hex digits
        bool Mine(string line) => line.Contains($"TraceId={traceId}", StringComparison.Ordinal);
        await app.Logs.WaitForAsync(Mine);
        var line = app.Logs.Lines.Single(Mine);
        line.ShouldContain("responded 400");
        line.ShouldContain(cell);
    }

    [Fact]
    public async Task A_caller_s_traceparent_is_continued_so_a_partner_can_follow_its_request()
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/cases") { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        var response = await app.Worker().SendAsync(request);
        (await response.ReadObjectAsync())["traceId"]!.GetValue<string>().ShouldBe(traceId);
    }

    [Fact]
    public async Task Metrics_are_served_to_the_operator_token_only()
    {
        await app.Worker().GetAsync("/api/v1/reminders"); // something to count

        (await app.Anonymous().GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await app.Head().GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var wrong = app.Anonymous();
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", app.MetricsToken[..^1] + (app.MetricsToken[^1] == '0' ? "1" : "0"));
        (await wrong.GetAsync("/metrics")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var operatorClient = app.Anonymous();
        operatorClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", app.MetricsToken);
        var scrape = await operatorClient.GetAsync("/metrics");
        scrape.StatusCode.ShouldBe(HttpStatusCode.OK);
        var text = await scrape.Content.ReadAsStringAsync();
        text.ShouldContain("http_server_request_duration_seconds_bucket");
        text.ShouldContain("pare_use_case_duration_seconds_bucket");
        text.ShouldContain("use_case=\"GetReminderInbox\"");
    }

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    public void Every_line_carries_trace_and_span_ids_and_the_user_and_cell(string format)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new("Logs:Format", format)]).Build();
        var traceId = ActivityTraceId.CreateRandom();
        var spanId = ActivitySpanId.CreateRandom();
        var logEvent = new LogEvent(DateTimeOffset.UtcNow, LogEventLevel.Information, null,
            new MessageTemplateParser().Parse("Delivered {Kind}"),
            [new("Kind", new ScalarValue("Alert")), new("UserId", new ScalarValue("worker-42")), new("CellId", new ScalarValue("cell-77"))],
            traceId, spanId);

        using var writer = new StringWriter();
        Logs.Formatter(configuration).Format(logEvent, writer);
        var line = writer.ToString();

        line.ShouldContain(traceId.ToHexString());
        line.ShouldContain(spanId.ToHexString());
        line.ShouldContain("worker-42");
        line.ShouldContain("cell-77");
        if (format == "json") System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("@tr").GetString().ShouldBe(traceId.ToHexString());
    }
}
