using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Pare.Cell.Bench;

/// <summary>
/// Issue 10, scenario 1: log-contact commands at saturation with N concurrent clients against the
/// API process, alternating with `pgbench -N` (simple update) with the same client count on the
/// same database, in rounds; then, in rounds too, an open-loop load at half the measured
/// saturation for p50/p99, alternating with pgbench -N at half of its own rate, the baseline of
/// that tail.
/// </summary>
public static class Throughput
{
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan OpenLoopWarmUp = TimeSpan.FromSeconds(5);
    private const int Rounds = 3;

    public static async Task<IReadOnlyList<CommandLatency.Result>> RunAsync(BenchEnvironment environment, int clients, TimeSpan duration)
    {
        var api = await environment.StartApiAsync("api");
        using var worker = environment.Client(api, "bench-throughput", "worker");
        var targets = new List<(Guid Case, Guid Episode)>();
        for (var i = 0; i < 200; i++)
        {
            var caseId = await Scenario.OpenCaseAsync(worker, i);
            var episode = await Scenario.PostAsync(worker, $"/api/v1/cases/{caseId}/episodes", Scenario.Runaway(DateTimeOffset.UtcNow.AddHours(-1)));
            targets.Add((caseId, episode["episodeId"]!.GetValue<Guid>()));
        }
        var contact = new { with = "minor", channel = "phone", outcome = "noAnswer" };
        var contactJson = JsonSerializer.Serialize(contact);
        var paths = targets.Select(t => $"/api/v1/cases/{t.Case}/episodes/{t.Episode}/contacts").ToList();
        async Task<HttpStatusCode> Log(int i)
        {
            var response = await worker.PostAsJsonAsync(paths[i % paths.Count], contact);
            await response.Content.ReadAsByteArrayAsync();
            return response.StatusCode;
        }
        // Saturation: each client sends as fast as it gets answers; only 201s count (a 409, two
        // clients on one case at once, does not). With wrk when the machine has it, like pgbench a
        // small C client; else with .NET clients in this process.
        var wrk = Wrk.Find();
        var token = environment.Token("bench-throughput", "worker");
        var counter = 0;
        Task<double> SaturateAsync(TimeSpan during) => wrk is null
            ? SaturateFromHereAsync(during)
            : Wrk.PostAsync(wrk, environment.Folder, api, token, paths, contactJson, clients, during);
        async Task<double> SaturateFromHereAsync(TimeSpan during)
        {
            var ok = 0;
            var started = Stopwatch.GetTimestamp();
            var until = started + (long)(during.TotalSeconds * Stopwatch.Frequency);
            await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
            {
                while (Stopwatch.GetTimestamp() < until)
                    if (await Log(Interlocked.Increment(ref counter)) == HttpStatusCode.Created) Interlocked.Increment(ref ok);
            }));
            return ok / Stopwatch.GetElapsedTime(started).TotalSeconds;
        }

        // Warm-up, not measured: the runtime compiles its hot paths again with the optimising JIT
        // during the first seconds under load; a service runs for months, so steady state is measured.
        await SaturateAsync(WarmUp);

        // Rounds of commands then pgbench. The machine's speed drifts by ±15 % over tens of
        // seconds (pgbench alone, run to run), so one ratio compares the two at different
        // moments; each round's ratio compares them seconds apart, and the median of the rounds
        // is the figure. Each run starts on a quiet database (dead rows vacuumed, dirty pages
        // written), so that neither pays for the other's aftermath.
        var pgbench = new PgBench(environment, clients);
        await pgbench.CreateTablesAsync();
        await using var dataSource = environment.DataSource();
        Task QuietAsync() => dataSource.CreateCommand("vacuum; checkpoint;").ExecuteNonQueryAsync();
        var rounds = new List<(double Rps, double Tps)>();
        for (var round = 0; round < Rounds; round++)
        {
            await QuietAsync();
            if (round == 0) await environment.ResetStatementsAsync();
            var commands = await SaturateAsync(duration);
            if (round == 0) await environment.PrintStatementsAsync("saturation");
            await QuietAsync();
            rounds.Add((commands, await pgbench.RunAsync(duration)));
        }
        await QuietAsync();
        var rps = Median(rounds.Select(r => r.Rps));
        var tps = Median(rounds.Select(r => r.Tps));
        var ratio = Median(rounds.Select(r => r.Rps / r.Tps));
        string Each(Func<(double Rps, double Tps), string> format) => string.Join(" / ", rounds.Select(format));

        // Half of saturation, open loop, beside pgbench -N at half of its own rate (what PostgreSQL
        // alone keeps as a tail on this machine at that moment), in rounds as above: one 15 s
        // window's p99 moved from 15 to 60 ms between consecutive windows of the same process
        // here, with the machine's neighbours, so each round's commands and pgbench run seconds
        // apart, and the median of the rounds is the figure, each round's shown beside it. The
        // load comes from LeanHttpLoad, as light a client as pgbench's (see there). The first
        // seconds of each window are not measured, for either: the quiet step before it leaves
        // the server's caches cold.
        var endpoint = new IPEndPoint(IPAddress.Loopback, api.Port);
        var requests = paths.Select(p => LeanHttpLoad.Post(p, token, contactJson)).ToArray();
        var unmeasured = (int)(OpenLoopWarmUp.TotalSeconds * rps / 2);
        var count = unmeasured + (int)(duration.TotalSeconds * rps / 2);
        var halves = new List<(Latencies Commands, Latencies PgBench)>();
        var refused = 0;
        for (var round = 0; round < Rounds; round++)
        {
            await QuietAsync();
            var commands = new Latencies("log a contact at half load");
            refused += await new LeanHttpLoad(endpoint, clients).RunAsync(rps / 2, count, unmeasured, i => requests[i % requests.Length], commands);
            await QuietAsync();
            halves.Add((commands, await pgbench.RunAtRateAsync(tps / 2, OpenLoopWarmUp, duration)));
        }
        // Dropped only now: the file system may discard freed blocks at once (ext4 mounted with
        // `discard`, as on the machine of docs/benchmarks.md), and discarding pgbench's 150 MB
        // held up PostgreSQL's WAL flushes, so every commit, for a few hundred milliseconds.
        await pgbench.DropTablesAsync();
        var p99 = Median(halves.Select(h => h.Commands.Percentile(99)));
        var pgbenchP99 = Median(halves.Select(h => h.PgBench.Percentile(99)));
        var ratios = halves.Select(h => h.Commands.Percentile(99) / h.PgBench.Percentile(99)).ToList();
        string Percentiles(Func<(Latencies Commands, Latencies PgBench), Latencies> of) =>
            string.Join(", ", halves.Select(h => FormattableString.Invariant($"{of(h).Percentile(50):0.0}/{of(h).Percentile(95):0.0}/{of(h).Percentile(99):0.0}")));
        var halfLoad = $"{rps / 2:0} req/s, {clients} connections, {Rounds} rounds of {duration.TotalSeconds:0} s{(refused > 0 ? $", {refused} answers not 2xx" : "")}";

        var generator = wrk is null ? ".NET clients" : "wrk";
        return
        [
            new($"log a contact at saturation ({clients} clients, {generator}, {Rounds} rounds of {duration.TotalSeconds:0} s: {Each(r => $"{r.Rps:0}")})", $"{rps:0} req/s", "", null),
            new($"baseline: pgbench -N ({clients} clients, same database, after each round: {Each(r => $"{r.Tps:0}")})", $"{tps:0} TPS", "", null),
            new($"ratio commands / pgbench -N, median of the rounds ({Each(r => $"{r.Rps / r.Tps:0.00}")})", $"{ratio:0.00}", "≥ 0.33", ratio >= 0.33),
            new($"log a contact at half load ({halfLoad}), p50/p95/p99 of each round: {Percentiles(h => h.Commands)} ms",
                $"p99 {p99:0.0} ms (median)", "p99 ≤ 25 ms", p99 <= 25),
            new($"baseline: pgbench -N at half its rate ({tps / 2:0} TPS), p50/p95/p99 of each round: {Percentiles(h => h.PgBench)} ms",
                $"p99 {pgbenchP99:0.0} ms (median)", "", null),
            new($"p99 at half load, commands / pgbench -N, median of the rounds ({string.Join(" / ", ratios.Select(r => $"{r:0.00}"))})",
                $"{Median(ratios):0.00}", "", null),
        ];
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary><c>pgbench -N</c> (simple update: 3 writes and a read per transaction) on the bench's database.</summary>
    private sealed class PgBench(BenchEnvironment environment, int clients)
    {
        private readonly string _bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "pgbench")).First(File.Exists);
        private readonly string _connection = $"-h 127.0.0.1 -p {environment.PostgresPort} -U postgres pare_bench";

        public async Task CreateTablesAsync() => await Tools.RunAsync(_bin, $"-i -s 10 -q {_connection}");

        public async Task DropTablesAsync() => await Tools.RunAsync(_bin, $"-i -I d {_connection}");

        /// <summary>Transactions per second.</summary>
        public async Task<double> RunAsync(TimeSpan duration)
        {
            var output = await Tools.RunAsync(_bin, $"-N -c {clients} -j 2 -T {(int)duration.TotalSeconds} {_connection}");
            var line = output.Split('\n').First(l => l.StartsWith("tps", StringComparison.Ordinal));
            return double.Parse(line.Split('=')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }

        /// <summary>
        /// Open loop at <paramref name="rate"/> transactions per second (<c>--rate</c>), the first
        /// <paramref name="warmUp"/> not measured. Each latency runs from the transaction's
        /// scheduled start, so waiting for a free client counts, as a command waits in the API.
        /// </summary>
        public async Task<Latencies> RunAtRateAsync(double rate, TimeSpan warmUp, TimeSpan duration)
        {
            var prefix = Path.Combine(environment.Folder, "pgbench-half");
            var started = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            await Tools.RunAsync(_bin, string.Create(CultureInfo.InvariantCulture, $"-N -c {clients} -j 2 -R {rate:0} -T {(int)(warmUp + duration).TotalSeconds} -l --log-prefix={prefix} {_connection}"));
            // One line per transaction: client, number, latency in µs, script, epoch seconds, µs, schedule lag.
            var latencies = new Latencies("pgbench -N at half its rate");
            foreach (var log in Directory.GetFiles(environment.Folder, "pgbench-half.*"))
            {
                foreach (var fields in File.ReadLines(log).Select(l => l.Split(' ')))
                    if (long.Parse(fields[4], CultureInfo.InvariantCulture) >= started + (long)warmUp.TotalSeconds)
                        latencies.Add(long.Parse(fields[2], CultureInfo.InvariantCulture) / 1000.0);
                File.Delete(log);
            }
            return latencies;
        }
    }
}
