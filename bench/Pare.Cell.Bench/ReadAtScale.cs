using System.Net;
using Marten;
using Pare.Cell.Api.Demo;
using Pare.Cell.Api.Infrastructure.Database;

namespace Pare.Cell.Bench;

/// <summary>
/// Issue 8's figure (and issue 10's scenario 2): 10,000 cases and about 1,000,000 events in one
/// cell, written through the real deciders; then the head's caseload and a case read under 8
/// concurrent clients, beside baselines from the same run (GET /health/live, and the caseload's
/// own SQL through Npgsql). The caseload may serve a snapshot up to Caseload:MaxStaleness old (2 s),
/// and says so in its freshness block; the SQL baseline measures a fresh aggregate every time.
/// </summary>
public static class ReadAtScale
{
    public static async Task<IReadOnlyList<CommandLatency.Result>> RunAsync(BenchEnvironment environment, int cases, int episodesPerCase, int requests)
    {
        var api = await environment.StartApiAsync("api"); // applies the schema
        await using var dataSource = environment.DataSource();
        using var store = new DocumentStore(EventStore.Options(dataSource));

        var started = DateTime.UtcNow;
        var events = await new DemoData(store, TimeProvider.System).GenerateAsync("bench-cell", cases, episodesPerCase);
        Console.WriteLine($"Generated {cases} cases and {events} events in {(DateTime.UtcNow - started).TotalSeconds:0} s");
        // What autovacuum does in production after a bulk load: statistics and the visibility map.
        await using (var vacuum = dataSource.CreateCommand("vacuum analyze")) await vacuum.ExecuteNonQueryAsync();

        using var head = environment.Client(api, "bench-cell", "head", "bench-head");
        var ids = new List<Guid>();
        await using (var query = dataSource.CreateCommand("select id from pare.mt_doc_case where tenant_id = 'bench-cell' limit 1000"))
        await using (var reader = await query.ExecuteReaderAsync())
            while (await reader.ReadAsync()) ids.Add(reader.GetGuid(0));

        var caseload = new Latencies("GET /caseload (8 clients)");
        var read = new Latencies("GET /cases/{id} (8 clients)");
        var live = new Latencies("baseline: GET /health/live (8 clients)");
        var sql = new Latencies("baseline: caseload SQL via Npgsql (8 clients)");

        async Task Run(Latencies into, Func<int, Task> call, int count)
        {
            for (var i = 0; i < 50; i++) await call(i); // warm-up
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < count) await into.MeasureAsync(async () => { await call(i); return 0; });
            }));
        }

        async Task Get(string url)
        {
            var response = await head.GetAsync(url);
            if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{url}: {(int)response.StatusCode}");
            await response.Content.ReadAsByteArrayAsync();
        }

        await Run(caseload, _ => Get("/api/v1/caseload"), requests);
        await Run(read, i => Get($"/api/v1/cases/{ids[i % ids.Count]}"), requests);
        await Run(live, _ => Get("/health/live"), requests);
        await Run(sql, async _ =>
        {
            await using var command = dataSource.CreateCommand("""
                select assigned_worker_id, count(*) filter (where status = 'Open'), count(*) filter (where missing_episode_id is not null),
                       coalesce(sum(open_overdue_reminders) filter (where status = 'Open'), 0), count(*) filter (where status = 'Open' and risk_level in ('AtRisk', 'InSituation')),
                       max(last_activity_at)
                from pare.mt_doc_case where tenant_id = 'bench-cell' group by assigned_worker_id
                """);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) { }
        }, requests);

        return
        [
            new($"data: {cases} cases, {events} events", "", "", null),
            new(caseload.ToString(), $"p95 {caseload.Percentile(95):0.0} ms", "p95 < 20 ms", caseload.Percentile(95) < 20),
            new(read.ToString(), $"p95 {read.Percentile(95):0.0} ms", "p95 < 20 ms", read.Percentile(95) < 20),
            new(live.ToString(), "", "", null),
            new(sql.ToString(), "", "", null),
            new("ratio: caseload p95 / its SQL p95", $"{caseload.Percentile(95) / sql.Percentile(95):0.0}×", "", null),
        ];
    }
}
