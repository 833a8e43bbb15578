using System.Net;
using System.Net.Http.Json;
using Pare.Cell.Api.Cases;

namespace Pare.Cell.Api.Tests.Infrastructure;

/// <summary>Request helpers: If-Match, Idempotency-Key, and the common episode steps.</summary>
public static class Requests
{
    public static async Task<HttpResponseMessage> SendJsonAsync(this HttpClient client, HttpMethod method, string url, object? body,
        long? ifMatch = null, string? idempotencyKey = null, string? rawIfMatch = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body, options: Http.Json) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", $"\"{ifMatch}\"");
        if (rawIfMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", rawIfMatch);
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await client.SendAsync(request);
    }

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string url, object body, long? ifMatch) =>
        client.SendJsonAsync(HttpMethod.Put, url, body, ifMatch);

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body, long? ifMatch, string? idempotencyKey = null) =>
        client.SendJsonAsync(HttpMethod.Post, url, body, ifMatch, idempotencyKey);

    public static Dictionary<string, object?> Runaway(DateTimeOffset lastSeenAt, string classification = "runaway") => new()
    {
        ["lastSeenAt"] = lastSeenAt,
        ["lastSeenPlace"] = "Gare Part-Dieu",
        ["reportedBy"] = "Night educator, MECS Les Tilleuls",
        ["circumstances"] = "Left after dinner, did not come back",
        ["clothing"] = "Red jacket, white trainers",
        ["companions"] = null,
        ["destinationHints"] = "Talked about a friend in Villeurbanne",
        ["classification"] = classification,
    };

    public static Dictionary<string, object?> Contact(DateTimeOffset? occurredAt = null, string with = "minor", string outcome = "noAnswer") => new()
    {
        ["with"] = with,
        ["channel"] = "phone",
        ["outcome"] = outcome,
        ["occurredAt"] = occurredAt,
        ["notes"] = "Voicemail",
    };

    public static Dictionary<string, object?> Return(DateTimeOffset returnedAt) => new()
    {
        ["returnedAt"] = returnedAt,
        ["how"] = "cameBackAlone",
        ["whereStayed"] = "At a friend's flat",
        ["safetyCheck"] = new Dictionary<string, object?> { ["done"] = true, ["needsMedicalCare"] = false, ["disclosedHarm"] = false },
    };

    public static async Task<EntryRecorded> ReportRunawayAsync(this HttpClient client, Guid caseId, DateTimeOffset lastSeenAt)
    {
        var response = await client.PostJsonAsync($"/api/v1/cases/{caseId}/episodes", Runaway(lastSeenAt));
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.ReadAsync<EntryRecorded>();
    }

    public static async Task<EntryRecorded> RecordAsync(this HttpClient client, string url, object body)
    {
        var response = await client.PostJsonAsync(url, body);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.ReadAsync<EntryRecorded>();
    }

    public static async Task<CaseView> GetCaseAsync(this HttpClient client, Guid caseId) =>
        await (await client.GetAsync($"/api/v1/cases/{caseId}")).ReadAsync<CaseView>();

    public static async Task<string> ProblemCodeAsync(this HttpResponseMessage response) =>
        (await response.ReadObjectAsync())["code"]?.ToString() ?? "";
}
