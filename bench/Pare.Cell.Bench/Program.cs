using Pare.Cell.Bench;

// dotnet run -c Release --project bench/Pare.Cell.Bench -- [command-latency] [--requests N]
var scenario = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "command-latency";
var requests = args.SkipWhile(a => a != "--requests").Skip(1).Select(int.Parse).FirstOrDefault(2000);

int Arg(string name, int fallback) => args.SkipWhile(a => a != name).Skip(1).Select(int.Parse).FirstOrDefault(fallback);

Console.WriteLine($"Pare.Cell bench: {scenario}, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
await using var environment = await BenchEnvironment.StartAsync();
var results = scenario switch
{
    "command-latency" => await CommandLatency.RunAsync(environment, requests),
    "alert-latency" => await AlertLatency.RunAsync(environment, args.Contains("--requests") ? requests : 200),
    "throughput" => await Throughput.RunAsync(environment, Arg("--clients", 8), TimeSpan.FromSeconds(Arg("--seconds", 15))),
    "read-at-scale" => await ReadAtScale.RunAsync(environment, Arg("--cases", 10_000), Arg("--episodes", 9), requests),
    _ => throw new ArgumentException($"Unknown scenario '{scenario}'."),
};

Console.WriteLine();
foreach (var r in results)
{
    var verdict = r.Pass switch { true => "PASS", false => "FAIL", null => "" };
    Console.WriteLine($"{r.Figure,-90} {r.Measured,-14} {r.Target,-10} {verdict}");
}
return results.Any(r => r.Pass == false) ? 1 : 0;
