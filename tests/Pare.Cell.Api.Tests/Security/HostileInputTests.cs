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

    /// <summary>
    /// FluentValidation checks each element's members and skips a null element: a null in a list
    /// used to be stored (a profile's null associate then broke every alert message built from it)
    /// or to fail in the handler (500). Sent with the right version, so nothing else refuses it first.
    /// </summary>
    [Fact]
    public async Task A_null_inside_a_list_is_a_400_naming_the_element_and_changes_nothing()
    {
        var head = app.Head();
        var opened = await head.OpenCaseAsync();
        var title = new { english = "T", french = "T" };
        var choiceWithNullOption = new { key = "q1", text = title, type = "choice", required = false, options = new object?[] { null } };
        var requests = new (HttpMethod Method, string Url, string Body, string Field)[]
        {
            (HttpMethod.Put, $"/api/v1/cases/{opened.Id}/profile", """{"socialMedia": [null]}""", "socialMedia[0]"),
            (HttpMethod.Put, $"/api/v1/cases/{opened.Id}/profile", """{"associates": [null]}""", "associates[0]"),
            (HttpMethod.Put, $"/api/v1/cases/{opened.Id}/guardians", """{"guardians": [null]}""", "guardians[0]"),
            (HttpMethod.Post, $"/api/v1/cases/{opened.Id}/risk-assessments", """{"observations": [null], "finalLevel": "atRisk"}""", "observations[0]"),
            (HttpMethod.Post, $"/api/v1/cases/{opened.Id}/risk-assessments/preview", """{"observations": [null]}""", "observations[0]"),
            (HttpMethod.Post, $"/api/v1/cases/{opened.Id}/risk-assessments/preview", """{"observations": [{"indicator": "neglect"}]}""", "observations[0].observedOn"),
            (HttpMethod.Post, "/api/v1/definitions/return-interview", """{"sections": [null]}""", "sections[0]"),
            (HttpMethod.Post, "/api/v1/definitions/return-interview",
                System.Text.Json.JsonSerializer.Serialize(new { sections = new[] { new { key = "s1", title, questions = new object?[] { null } } } }), "sections[0].questions[0]"),
            (HttpMethod.Post, "/api/v1/definitions/return-interview",
                System.Text.Json.JsonSerializer.Serialize(new { sections = new[] { new { key = "s1", title, questions = new[] { choiceWithNullOption } } } }), "sections[0].questions[0].options[0]"),
            (HttpMethod.Post, "/api/v1/definitions/risk-indicators", """{"indicators": [null]}""", "indicators[0]"),
            (HttpMethod.Post, "/api/v1/partners", """{"name": "Asso", "type": "association", "contacts": [null]}""", "contacts[0]"),
        };

        var events = await app.EventCountAsync();
        var documents = await app.ScalarAsync("select count(*) from pare.mt_doc_publishedquestionnaire") + await app.ScalarAsync("select count(*) from pare.mt_doc_publishedcatalogue") + await app.ScalarAsync("select count(*) from pare.mt_doc_partner");
        foreach (var (method, url, body, field) in requests)
        {
            using var request = new HttpRequestMessage(method, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.TryAddWithoutValidation("If-Match", $"\"{(await head.GetCaseAsync(opened.Id)).Version}\"");
            var response = await head.SendAsync(request);
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, $"{method} {url} {body}: {await response.Content.ReadAsStringAsync()}");
            (await response.ProblemFieldsAsync()).Keys.ShouldContain(field, $"{method} {url} {body}");
        }
        (await app.EventCountAsync()).ShouldBe(events);
        (await app.ScalarAsync("select count(*) from pare.mt_doc_publishedquestionnaire") + await app.ScalarAsync("select count(*) from pare.mt_doc_publishedcatalogue") + await app.ScalarAsync("select count(*) from pare.mt_doc_partner")).ShouldBe(documents);
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

        // Refused while reading the body, naming the answer: left to the database, the failed
        // write put a pooled connection out of step with the server (the next request on it, 500).
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync());
        (await response.ProblemFieldsAsync()).Keys.ShouldContain("answers.whereStayed");
        (await app.EventCountAsync()).ShouldBe(before);
    }

    /// <summary>Every route value filled, whatever its constraint: the case and episode ids, else a value of the right shape.</summary>
    private static string Fill(string pattern, Guid caseId, Guid episodeId) =>
        System.Text.RegularExpressions.Regex.Replace(pattern, @"\{(\w+)(:[^}]*)?\}", m => m.Groups[1].Value switch
        {
            "caseId" => caseId.ToString(),
            "episodeId" => episodeId.ToString(),
            "clientId" => "pc_x",
            "key" => "contact:x:0",
            _ => Guid.NewGuid().ToString(),
        });
}
