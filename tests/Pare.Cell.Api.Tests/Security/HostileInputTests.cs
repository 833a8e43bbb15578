using System.Net;
using System.Text;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Pare.Cell.Api.Tests.Cases;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Security;

/// <summary>
/// Every POST and PUT route of the running app (read from its route table, not a hand-kept list)
/// receives malformed JSON, wrong types, unknown fields, oversized strings, unknown enum values,
/// absurd dates and unicode edge cases, as a head of the case's cell: always a 4xx
/// ProblemDetails, never a 5xx, and the event store does not move.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class HostileInputTests(PareApp app)
{
    private static readonly string[] Bodies =
    [
        "{",
        "[]",
        "null",
        "\"just a string\"",
        "42",
        """{"firstName": 12, "lastName": true, "dateOfBirth": "tomorrow", "placement": "yes"}""",
        """{"unexpectedField": "x", "another": {"nested": [1, 2, 3]}}""",
        $$"""{"reason": "{{new string('x', 200_000)}}", "note": "{{new string('y', 200_000)}}", "information": "{{new string('z', 200_000)}}"}""",
        """{"classification": "kidnapping", "kind": "castle", "how": "teleported", "with": "ghost", "channel": "pigeon", "outcome": "maybe", "finalLevel": "extreme", "reason": "x"}""",
        """{"lastSeenAt": "0001-01-01T00:00:00Z", "returnedAt": "9999-12-31T23:59:59Z", "occurredAt": "2026-02-30T00:00:00Z", "until": "-infinity", "dateOfBirth": "1800-01-01"}""",
        "{\"firstName\": \"\\u0000\\u202e\\ud800\", \"lastName\": \"😀🧒🏽‍♀️\", \"reason\": \"\\uFEFF\\u200B\", \"information\": \"\\\\\\\"'; drop table pare.mt_events; --\"}",
        """{"observations": [{"indicator": null, "observedOn": "not-a-date"}], "answers": {"whereStayed": {"deep": {"deeper": []}}}, "shares": ["everything"], "scopes": ["admin:all"]}""",
        """{"guardians": [null, 1, "x"], "phones": [null], "socialMedia": "text", "present": {}}""",
    ];

    [Fact]
    public async Task Hostile_bodies_on_every_write_route_get_a_4xx_problem_and_write_nothing()
    {
        var head = app.Head();
        var opened = await head.OpenCaseAsync();
        var episode = await head.ReportRunawayAsync(opened.Id, app.Clock.GetUtcNow().AddHours(-2));
        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Method: m, Pattern: e.RoutePattern.RawText!)))
            .Where(r => r.Method is "POST" or "PUT" && r.Pattern.StartsWith("/api/v1", StringComparison.Ordinal))
            .Distinct()
            .ToList();
        routes.Count.ShouldBeGreaterThan(30);

        var before = await app.EventCountAsync();
        var sent = 0;
        var failures = new List<string>();
        foreach (var (method, pattern) in routes)
        {
            var url = Fill(pattern, opened.Id, episode.EpisodeId!.Value);
            foreach (var body in Bodies)
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                request.Headers.TryAddWithoutValidation("If-Match", "\"999\"");
                var response = await head.SendAsync(request);
                sent++;
                var status = (int)response.StatusCode;
                if (status is < 400 or >= 500)
                    failures.Add($"{method} {pattern} → {status} for {body[..Math.Min(60, body.Length)]}");
                else if (status != 404 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    failures.Add($"{method} {pattern} → {status} without ProblemDetails");
            }
        }

        failures.ShouldBeEmpty(string.Join('\n', failures.Take(20)));
        (await app.EventCountAsync()).ShouldBe(before);
        sent.ShouldBeGreaterThan(400);
    }

    [Fact]
    public async Task A_NUL_character_in_otherwise_valid_text_is_a_400_not_a_database_error()
    {
        var worker = app.Worker();
        var opened = await worker.OpenCaseAsync();
        var episode = await worker.ReportRunawayAsync(opened.Id, app.Clock.GetUtcNow().AddHours(-2));
        var before = await app.EventCountAsync();

        var response = await worker.PostRawAsync($"/api/v1/cases/{opened.Id}/episodes/{episode.EpisodeId}/contacts",
            "{\"with\":\"minor\",\"channel\":\"phone\",\"outcome\":\"reached\",\"notes\":\"before\\u0000after\"}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        (await response.ProblemFieldsAsync()).Keys.ShouldContain("notes");
        (await app.EventCountAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task A_NUL_character_inside_a_free_form_interview_answer_is_a_400()
    {
        var worker = app.Worker();
        var opened = await worker.OpenCaseAsync();
        var episode = await worker.ReportRunawayAsync(opened.Id, app.Clock.GetUtcNow().AddHours(-2));
        await worker.RecordAsync($"/api/v1/cases/{opened.Id}/episodes/{episode.EpisodeId}/return", Requests.Return(app.Clock.GetUtcNow()));
        var before = await app.EventCountAsync();

        var response = await worker.PostRawAsync($"/api/v1/cases/{opened.Id}/episodes/{episode.EpisodeId}/return-interview",
            "{\"questionnaireVersion\":1,\"present\":[\"worker\"],\"answers\":{\"whereStayed\":\"a\\u0000b\",\"schoolSituation\":\"attending\",\"receivedMoneyOrGifts\":false}}");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        (await app.EventCountAsync()).ShouldBe(before);
    }

    private static string Fill(string pattern, Guid caseId, Guid episodeId) => pattern
        .Replace("{caseId:guid}", caseId.ToString(), StringComparison.Ordinal)
        .Replace("{episodeId:guid}", episodeId.ToString(), StringComparison.Ordinal)
        .Replace("{referralId:guid}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
        .Replace("{partnerId:guid}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
        .Replace("{alertId:guid}", Guid.NewGuid().ToString(), StringComparison.Ordinal)
        .Replace("{clientId}", "pc_x", StringComparison.Ordinal)
        .Replace("{key}", "contact:x:0", StringComparison.Ordinal);
}
