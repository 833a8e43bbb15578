using Pare.Cell.Bench;

// dotnet run -c Release --no-build --project bench/Pare.Cell.Bench -- <scenario|all> [--requests N] [--cases N] … [--statements]
// Each scenario starts its own PostgreSQL cluster (fsync on) and API processes on loopback.
// The load generator must never be what limits a figure: no waiting for the thread pool to grow.
ThreadPool.SetMinThreads(32, 32);
var requests = Arg("--requests", 2000);
var scenarios = new Dictionary<string, Func<BenchEnvironment, Task<IReadOnlyList<CommandLatency.Result>>>>
{
    ["command-latency"] = e => CommandLatency.RunAsync(e, requests),
    ["throughput"] = e => Throughput.RunAsync(e, Arg("--clients", 8), TimeSpan.FromSeconds(Arg("--seconds", 15))),
    ["alert-latency"] = e => AlertLatency.RunAsync(e, args.Contains("--requests") ? requests : 200),
    ["noisy-neighbour"] = e => NoisyNeighbour.RunAsync(e, args.Contains("--requests") ? requests : 200, Arg("--referrals", 64)),
    ["read-at-scale"] = e => ReadAtScale.RunAsync(e, Arg("--cases", 10_000), Arg("--episodes", 9), requests),
    ["crash"] = e => Reliability.CrashAsync(e, Arg("--kills", 20)),
    ["two-instances"] = e => Reliability.TwoInstancesAsync(e, Arg("--reports", 40)),
    ["concurrent-writers"] = Reliability.ConcurrentWritersAsync,
};

var chosen = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal) && !int.TryParse(a, out _)) ?? "all";
var names = chosen == "all" ? scenarios.Keys.ToList() : [chosen];
if (names.Any(n => !scenarios.ContainsKey(n))) throw new ArgumentException($"Unknown scenario '{chosen}'. Known: all, {string.Join(", ", scenarios.Keys)}.");

Console.WriteLine($"Pare.Cell bench: {string.Join(", ", names)} — {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
var summary = new List<(string Scenario, CommandLatency.Result Result)>();
foreach (var name in names)
{
    Console.WriteLine($"— {name}");
    await using var environment = await BenchEnvironment.StartAsync(statementProfile: args.Contains("--statements"));
    foreach (var result in await scenarios[name](environment)) summary.Add((name, result));
}

Console.WriteLine();
Console.WriteLine($"{"scenario",-19} {"figure",-92} {"measured",-14} {"target",-14} verdict");
foreach (var (scenario, r) in summary)
    Console.WriteLine($"{scenario,-19} {r.Figure,-92} {r.Measured,-14} {r.Target,-14} {r.Pass switch { true => "PASS", false => "FAIL", null => "" }}");
return summary.Any(s => s.Result.Pass == false) ? 1 : 0;

int Arg(string name, int fallback) => args.SkipWhile(a => a != name).Skip(1).Select(int.Parse).FirstOrDefault(fallback);
