using Microsoft.Extensions.Configuration;
using System.Diagnostics;
using System.Net;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Pare.Cell.Api.Alerts;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Demo;
using Pare.Cell.Api.Infrastructure.Database;
using Pare.Cell.Api.Infrastructure.Http;
using Pare.Cell.Api.Reminders;

namespace Pare.Cell.Bench;

/// <summary>
/// Issue 8's figure (and issue 10's scenario 2): 10,000 cases and about 1,000,000 events in one
/// cell, written through the real deciders; then the head's caseload and a case read under 8
/// concurrent clients, beside baselines from the same run (GET /health/live, and the caseload's
/// own SQL through Npgsql, and a committed journal-like INSERT: a case read commits its journal
/// entry before answering). The caseload may serve a snapshot up to Caseload:MaxStaleness old (2 s),
/// and says so in its freshness block; the SQL baseline measures a fresh aggregate every time.
/// Last, the minutely reminder follow-up over these cases, beside a run that reads them all.
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
        var insert = new Latencies("baseline: INSERT + commit (8 clients)");
        var search = new Latencies("POST /search (8 clients)");
        var searchSql = new Latencies("baseline: trigram lookup SQL via Npgsql (8 clients)");
        var queries = await SearchQueriesAsync(dataSource);

        // Unmeasured first, from as many clients: the runtime recompiles a path with the optimising
        // JIT only once it is hot, and a service answers for months. With 50 sequential calls of
        // warm-up, on a slow day, the JIT's thread took 13 % of the API's CPU during the measured
        // case reads (a quarter still 6 s into such load), and their p95 was 23 ms instead of 11.
        async Task WarmUp(TimeSpan during, Func<int, Task> call)
        {
            var until = Stopwatch.GetTimestamp() + (long)(during.TotalSeconds * Stopwatch.Frequency);
            await Clients(async i => { await call(i); return Stopwatch.GetTimestamp() < until; });
        }

        async Task Run(Latencies into, Func<int, Task> call, int count)
        {
            await WarmUp(TimeSpan.FromSeconds(2), call);
            await Clients(async i =>
            {
                if (i >= count) return false;
                await into.MeasureAsync(async () => { await call(i); return 0; });
                return true;
            });
        }

        static Task Clients(Func<int, Task<bool>> call)
        {
            var next = -1;
            return Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
            {
                while (await call(Interlocked.Increment(ref next))) { }
            }));
        }

        async Task Get(string url)
        {
            var response = await head.GetAsync(url);
            if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{url}: {(int)response.StatusCode}");
            await response.Content.ReadAsByteArrayAsync();
        }

        Task Caseload(int i) => Get("/api/v1/caseload");
        Task ReadCase(int i) => Get($"/api/v1/cases/{ids[i % ids.Count]}");
        await WarmUp(TimeSpan.FromSeconds(15), i => i % 2 == 0 ? Caseload(i) : ReadCase(i));
        await Run(caseload, Caseload, requests);
        await Run(search, async i =>
        {
            var response = await head.PostAsync("/api/v1/search", System.Net.Http.Json.JsonContent.Create(new { query = queries[i % queries.Count] }));
            if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"search: {(int)response.StatusCode}");
            await response.Content.ReadAsByteArrayAsync();
        }, requests);
        // The index lookup alone, as the search's first step does it: no HTTP, no journal, no display fields.
        await Run(searchSql, async i =>
        {
            await using var command = dataSource.CreateCommand("""
                select case_id, max(greatest(similarity(normalized, pare.normalized($2)), word_similarity(pare.normalized($2), normalized))) from pare.case_index
                where cell_id = $1 and kind = any('{Name,Alias,Reference,Handle}') and (normalized % pare.normalized($2) or normalized %> pare.normalized($2))
                group by case_id order by 2 desc limit 20
                """);
            command.Parameters.Add(new() { Value = "bench-cell" });
            command.Parameters.Add(new() { Value = queries[i % queries.Count] });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) { }
        }, requests);
        await Run(read, ReadCase, requests);
        // A case read commits its journal entry before answering: its floor is a committed
        // single-row insert from as many clients, measured right after it.
        await using (var create = dataSource.CreateCommand("create table if not exists bench_journal_baseline (id bigserial primary key, cell_id text, user_id text, case_id uuid, action text, occurred_at timestamptz)"))
            await create.ExecuteNonQueryAsync();
        await Run(insert, async i =>
        {
            await using var command = dataSource.CreateCommand("insert into bench_journal_baseline (cell_id, user_id, case_id, action, occurred_at) values ('bench-cell', 'head', $1, 'case.read', now())");
            command.Parameters.Add(new() { Value = ids[i % ids.Count] });
            await command.ExecuteNonQueryAsync();
        }, requests);
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

        // The minutely reminder follow-up at this scale: the job's own class, in this process, on
        // the same database. A first run records the generated backlog of overdue reminders and a
        // second reads again the cases the first wrote (neither measured); then a run in steady
        // state, beside a run that reads every open case — what the job did before it kept each
        // case's next moment — obtained by forgetting those moments first.
        var noRequests = new Idempotency(dataSource, new HttpContextAccessor(), TimeProvider.System, new IdempotentAnswers(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Idempotency:AnswerKey"] = "bench: no request here" }).Build(),
            new Pare.Cell.Api.Infrastructure.Auth.AuthSettings("", "", null, null)));
        var followUp = new ReminderFollowUp(dataSource, store,
            new CaseWriter(store, TimeProvider.System, noRequests, new AlertOutbox(TimeProvider.System)),
            TimeProvider.System, NullLogger<ReminderFollowUp>.Instance);
        await followUp.RunAsync();
        await followUp.RunAsync();
        var steady = await TimedAsync(followUp.RunAsync);
        await using (var forget = dataSource.CreateCommand("truncate pare.reminder_follow_up")) await forget.ExecuteNonQueryAsync();
        var everyCase = await TimedAsync(followUp.RunAsync);

        return
        [
            new($"data: {cases} cases, {events} events", "", "", null),
            new(caseload.ToString(), $"p95 {caseload.Percentile(95):0.0} ms", "p95 < 20 ms", caseload.Percentile(95) < 20),
            new(read.ToString(), $"p95 {read.Percentile(95):0.0} ms", "p95 < 20 ms", read.Percentile(95) < 20),
            new(search.ToString(), $"p95 {search.Percentile(95):0.0} ms", "p95 ≤ 50 ms", search.Percentile(95) <= 50),
            new(searchSql.ToString(), "", "", null),
            new("ratio: search p95 / its trigram lookup SQL p95", $"{search.Percentile(95) / searchSql.Percentile(95):0.0}×", "", null),
            new(live.ToString(), "", "", null),
            new(sql.ToString(), "", "", null),
            new(insert.ToString(), "", "", null),
            new("ratio: caseload p95 / its SQL p95", $"{caseload.Percentile(95) / sql.Percentile(95):0.0}×", "", null),
            new("ratio: case read p95 / INSERT + commit p95", $"{read.Percentile(95) / insert.Percentile(95):0.0}×", "", null),
            new($"reminder follow-up run, steady state: {steady.Run.CasesRead} of {steady.Run.OpenCases} open cases read", $"{steady.Ms:0} ms", "", null),
            new($"baseline: a run reading every open case ({everyCase.Run.CasesRead}), as before next moments were kept", $"{everyCase.Ms:0} ms", "", null),
            new("ratio: follow-up run / a run reading every case", $"{steady.Ms / everyCase.Ms:0.00}×", "", null),
        ];
    }

    /// <summary>
    /// What a worker types at 2 a.m., from the generated cell: full names (a third with a letter
    /// dropped, a third family name first), aliases, phone numbers formatted by hand, handles and
    /// references; in a fixed order, so two runs ask the same.
    /// </summary>
    private static async Task<List<string>> SearchQueriesAsync(Npgsql.NpgsqlDataSource dataSource)
    {
        var terms = new List<(string Kind, string Value)>();
        await using (var command = dataSource.CreateCommand(
            "select kind, value from pare.case_index where cell_id = 'bench-cell' and kind in ('Name','Alias','Phone','Handle','Reference') order by md5(case_id::text || kind || value) limit 400"))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) terms.Add((reader.GetString(0), reader.GetString(1)));
        return [.. terms.Select((t, i) => t.Kind switch
        {
            "Name" when i % 3 == 0 => t.Value.Remove(t.Value.Length / 2, 1),
            "Name" when i % 3 == 1 => string.Join(' ', t.Value.Split(' ').Reverse()),
            "Phone" => $"{t.Value[..2]} {t.Value[2..4]} {t.Value[4..6]} {t.Value[6..8]} {t.Value[8..]}",
            "Handle" => "@" + t.Value,
            _ => t.Value,
        })];
    }

    private static async Task<(FollowUpRun Run, double Ms)> TimedAsync(Func<CancellationToken, Task<FollowUpRun>> run)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await run(CancellationToken.None);
        return (result, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
}
