using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pare.Cell.Bench;

/// <summary>
/// Issue 3's figure: one social worker's command (log a contact) against a warm API process,
/// sequentially, beside two baselines measured in the same run: the HTTP stack alone
/// (GET /health/live) and one committed single-row INSERT through Npgsql on the same database.
/// </summary>
public static class CommandLatency
{
    public static async Task<IReadOnlyList<Result>> RunAsync(BenchEnvironment environment, int requests)
    {
        var api = await environment.StartApiAsync();
        using var worker = environment.Client(api, "bench-cell", "worker");

        var cases = new List<(Guid CaseId, Guid EpisodeId)>();
        for (var i = 0; i < 50; i++)
        {
            var opened = await PostAsync(worker, "/api/v1/cases", new
            {
                firstName = "Bench", lastName = $"Case{i}", dateOfBirth = "2011-05-17", placement = new { kind = "atHome" },
            });
            var caseId = opened["id"]!.GetValue<Guid>();
            var episode = await PostAsync(worker, $"/api/v1/cases/{caseId}/episodes", new
            {
                lastSeenAt = DateTimeOffset.UtcNow.AddHours(-1), lastSeenPlace = "Station", reportedBy = "Educator", classification = "runaway",
            });
            cases.Add((caseId, episode["episodeId"]!.GetValue<Guid>()));
        }

        var contact = new { with = "minor", channel = "phone", outcome = "noAnswer", notes = "Voicemail" };
        var contacts = new Latencies("log a contact (HTTP, full pipeline)");
        var live = new Latencies("baseline: GET /health/live");
        var insert = new Latencies("baseline: Npgsql INSERT + commit");

        await using var dataSource = environment.DataSource();
        await using (var create = dataSource.CreateCommand("create table if not exists bench_baseline (id bigserial primary key, payload jsonb not null)"))
            await create.ExecuteNonQueryAsync();

        // Warm-up: JIT, connection pools, plans.
        for (var i = 0; i < 300; i++) await LogContactAsync(worker, cases[i % cases.Count], contact);

        // Interleaved so that the machine's drift affects the three figures alike.
        for (var i = 0; i < requests; i++)
        {
            await contacts.MeasureAsync(() => LogContactAsync(worker, cases[i % cases.Count], contact));
            await live.MeasureAsync(async () => (await worker.GetAsync("/health/live")).StatusCode);
            await insert.MeasureAsync(async () =>
            {
                await using var command = dataSource.CreateCommand("insert into bench_baseline (payload) values ($1::jsonb)");
                command.Parameters.Add(new() { Value = """{"with":"minor","channel":"phone","outcome":"noAnswer"}""" });
                return await command.ExecuteNonQueryAsync();
            });
        }

        return
        [
            new(contacts.ToString(), $"p50 {contacts.Percentile(50):0.00} ms", "< 20 ms", contacts.Percentile(50) < 20),
            new(live.ToString(), "", "", null),
            new(insert.ToString(), "", "", null),
            new("ratio: contact p50 / INSERT p50", $"{contacts.Percentile(50) / insert.Percentile(50):0.0}×", "", null),
            new("ratio: contact p50 / HTTP p50", $"{contacts.Percentile(50) / live.Percentile(50):0.0}×", "", null),
        ];
    }

    private static async Task<HttpStatusCode> LogContactAsync(HttpClient worker, (Guid CaseId, Guid EpisodeId) target, object contact)
    {
        var response = await worker.PostAsJsonAsync($"/api/v1/cases/{target.CaseId}/episodes/{target.EpisodeId}/contacts", contact);
        if (response.StatusCode != HttpStatusCode.Created)
            throw new InvalidOperationException($"Log contact answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response.StatusCode;
    }

    private static async Task<JsonObject> PostAsync(HttpClient client, string url, object body)
    {
        var response = await client.PostAsJsonAsync(url, body);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{url} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public sealed record Result(string Figure, string Measured, string Target, bool? Pass);
}
