using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Npgsql;

namespace Pare.Cell.Bench;

/// <summary>Issue 10, scenarios 4 to 6: SIGKILL under load, two instances on one database, 100 writers on one case.</summary>
public static class Reliability
{
    /// <summary>100 parallel writes with the same If-Match: one winner, the rest 412, exactly one new event.</summary>
    public static async Task<IReadOnlyList<CommandLatency.Result>> ConcurrentWritersAsync(BenchEnvironment environment)
    {
        var api = await environment.StartApiAsync("api");
        using var head = environment.Client(api, "bench-writers", "head", "bench-head");
        var caseId = await Scenario.OpenCaseAsync(head, 0);
        var statuses = await Task.WhenAll(Enumerable.Range(0, 100).Select(async i =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/cases/{caseId}/assignment") { Content = JsonContent.Create(new { workerId = $"worker-{i}" }) };
            request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
            return (await head.SendAsync(request)).StatusCode;
        }));
        await using var dataSource = environment.DataSource();
        await using var count = dataSource.CreateCommand("select count(*) from pare.mt_events where stream_id = $1");
        count.Parameters.Add(new() { Value = caseId });
        var events = (long)(await count.ExecuteScalarAsync())!;
        var winners = statuses.Count(s => s == HttpStatusCode.OK);
        var stale = statuses.Count(s => s == HttpStatusCode.PreconditionFailed);
        return [new($"100 writers, one If-Match: {winners} × 200, {stale} × 412, {events - 1} new event(s)", $"{winners}/{stale}/{events - 1}", "1/99/1", winners == 1 && stale == 99 && events == 2)];
    }

    /// <summary>
    /// Reports under load (a third of them worrying) while the API/job process is SIGKILLed at
    /// random moments and restarted, <paramref name="kills"/> times; then: acknowledged reports
    /// all stored, every worrying episode's alert received, one contact reminder per open episode.
    /// </summary>
    public static async Task<IReadOnlyList<CommandLatency.Result>> CrashAsync(BenchEnvironment environment, int kills)
    {
        await using var sink = new AlertSink();
        var api = await environment.StartApiAsync("api,jobs", sink.Settings);
        using (var setup = environment.Client(api, "bench-crash", "head", "bench-head")) await Scenario.ConfigureAlertsAsync(setup);

        var acknowledged = new ConcurrentBag<(Guid Case, Guid Episode, bool Worrying)>();
        var failures = 0;
        using var stop = new CancellationTokenSource();
        var current = api;
        var load = Task.WhenAll(Enumerable.Range(0, 4).Select(async client =>
        {
            var n = 0;
            while (!stop.IsCancellationRequested)
            {
                var worrying = n++ % 3 == 0;
                try
                {
                    using var http = environment.Client(current, "bench-crash", "worker");
                    var caseId = await Scenario.OpenCaseAsync(http, n, worrying ? "2013-05-17" : "2009-05-17");
                    var episode = await Scenario.PostAsync(http, $"/api/v1/cases/{caseId}/episodes", Scenario.Runaway(DateTimeOffset.UtcNow.AddMinutes(-30)));
                    acknowledged.Add((caseId, episode["episodeId"]!.GetValue<Guid>(), worrying));
                }
                catch (Exception e) when (e is HttpRequestException or InvalidOperationException or TaskCanceledException)
                {
                    Interlocked.Increment(ref failures); // the process is down: this request was never acknowledged
                    await Task.Delay(50);
                }
            }
        }));

        var random = new Random(7);
        for (var k = 0; k < kills; k++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(300 + random.Next(1200)));
            environment.KillApis();
            current = await environment.StartApiAsync("api,jobs", sink.Settings);
        }
        await Task.Delay(2000);
        await stop.CancelAsync();
        await load;

        // Let the last restarted process deliver what is due, then count.
        await using var dataSource = environment.DataSource();
        var expectedAlerts = await ScalarAsync(dataSource, "select count(*) from pare.mt_events where tenant_id = 'bench-crash' and type = 'episode_became_worrying'");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (sink.AlertIds.Count < expectedAlerts && DateTime.UtcNow < deadline) await Task.Delay(200);

        var storedEpisodes = new HashSet<Guid>();
        await using (var query = dataSource.CreateCommand("select (data->>'episodeId')::uuid from pare.mt_events where tenant_id = 'bench-crash' and type = 'runaway_reported'"))
        await using (var reader = await query.ExecuteReaderAsync())
            while (await reader.ReadAsync()) storedEpisodes.Add(reader.GetGuid(0));
        var lostEvents = acknowledged.Count(a => !storedEpisodes.Contains(a.Episode));
        var lostAlerts = expectedAlerts - sink.AlertIds.Count;
        var duplicates = sink.AlertIds.Values.Sum(v => v - 1);

        using var head = environment.Client(current, "bench-crash", "head", "bench-head");
        var sample = acknowledged.Take(100).ToList();
        var reminderMismatches = 0;
        foreach (var (caseId, _, _) in sample)
        {
            var reminders = await head.GetFromJsonAsync<List<ReminderRow>>($"/api/v1/cases/{caseId}/reminders");
            if (reminders!.Count(r => r.Rule == "contactAttempt") != 1) reminderMismatches++;
        }

        return
        [
            new($"crash: {kills} SIGKILLs under load; {acknowledged.Count} reports acknowledged, {failures} refused while down", "", "", null),
            new("acknowledged reports missing from the event store", $"{lostEvents}", "0", lostEvents == 0),
            new($"worrying episodes without an alert at the SMTP server (of {expectedAlerts})", $"{lostAlerts}", "0", lostAlerts == 0),
            new("duplicate alert deliveries (same id, deduplicated by the receiver)", $"{duplicates}", "", null),
            new($"cases whose open episode has ≠ 1 contact reminder (of {sample.Count} sampled)", $"{reminderMismatches}", "0", reminderMismatches == 0),
        ];
    }

    /// <summary>Two API+job processes on one database behind a round-robin client; one is killed halfway.</summary>
    public static async Task<IReadOnlyList<CommandLatency.Result>> TwoInstancesAsync(BenchEnvironment environment, int reports)
    {
        await using var sink = new AlertSink();
        var a = await environment.StartApiAsync("api,jobs", sink.Settings);
        var b = await environment.StartApiAsync("api,jobs", sink.Settings);
        using (var setup = environment.Client(a, "bench-two", "head", "bench-head")) await Scenario.ConfigureAlertsAsync(setup);
        using var clientA = environment.Client(a, "bench-two", "worker");
        using var clientB = environment.Client(b, "bench-two", "worker");

        var ok = 0;
        for (var i = 0; i < reports; i++)
        {
            if (i == reports / 2) environment.KillApi(0); // instance A dies; B carries on
            var client = i >= reports / 2 || i % 2 == 1 ? clientB : clientA;
            var caseId = await Scenario.OpenCaseAsync(client, i, "2013-05-17");
            await Scenario.PostAsync(client, $"/api/v1/cases/{caseId}/episodes", Scenario.Runaway(DateTimeOffset.UtcNow.AddMinutes(-30)));
            ok++;
        }
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (sink.AlertIds.Count < reports && DateTime.UtcNow < deadline) await Task.Delay(100);
        var duplicates = sink.AlertIds.Values.Sum(v => v - 1);

        await using var dataSource = environment.DataSource();
        var recurring = await ScalarAsync(dataSource, "select count(*) from hangfire.set where key = 'recurring-jobs'");
        return
        [
            new($"two instances, round robin, one killed halfway: {ok}/{reports} reports answered", $"{ok}", $"{reports}", ok == reports),
            new("alerts received (distinct ids) / worrying reports", $"{sink.AlertIds.Count}/{reports}", "all", sink.AlertIds.Count == reports),
            // A kill mid-send may legitimately resend (same id, deduplicated by the receiver); two live instances never both send.
            new("duplicate deliveries (same id; only the killed instance's last batch may cause one)", $"{duplicates}", "", null),
            new("recurring jobs registered once for both instances", $"{recurring}", "5", recurring == 5),
        ];
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private sealed record ReminderRow(string Key, string Rule);
}
