using System.Globalization;

namespace Pare.Cell.Bench;

/// <summary>
/// wrk as the load generator at saturation, when the machine has it (Debian package <c>wrk</c>).
/// The baseline's client, pgbench, is a small C program; wrk, in C on epoll like it, takes about
/// 0.08 s of CPU per second from the 2 cores the API and PostgreSQL share (the bench's .NET
/// clients, their idle threads no longer spinning, measure the same within the noise). Each
/// connection sends its next request when the previous one is answered (a closed loop).
/// </summary>
public static class Wrk
{
    public static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "wrk")).FirstOrDefault(File.Exists);

    /// <summary>Requests answered with a 2xx per second, POSTing <paramref name="body"/> to the paths in turn.</summary>
    public static async Task<double> PostAsync(string wrk, string folder, Uri api, string token, IReadOnlyList<string> paths, string body, int clients, TimeSpan duration)
    {
        var script = Path.Combine(folder, "post.lua");
        await File.WriteAllTextAsync(script, Script(token, paths, body));
        var threads = Math.Min(2, clients);
        var output = await Tools.RunAsync(wrk, $"-t {threads} -c {clients} -d {(int)duration.TotalSeconds}s -s {script} {api}");
        // Written by the script's done(): requests, non-2xx answers, socket errors, duration in µs.
        var figures = output.Split('\n').First(l => l.StartsWith("pare ", StringComparison.Ordinal)).Split(' ').Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var (requests, refused, failed, micros) = (figures[0], figures[1], figures[2], figures[3]);
        if (failed > 0) throw new InvalidOperationException($"wrk: {failed} socket errors");
        return (requests - refused) / (micros / 1e6);
    }

    private static string Script(string token, IReadOnlyList<string> paths, string body) => $$"""
        local paths = { {{string.Join(", ", paths.Select(p => $"\"{p}\""))}} }
        local headers = { ["Authorization"] = "Bearer {{token}}", ["Content-Type"] = "application/json" }
        local body = '{{body}}'
        local threads = 0
        function setup(thread)
          thread:set("counter", threads * 7)
          threads = threads + 1
        end
        function request()
          counter = counter + 1
          return wrk.format("POST", paths[(counter % #paths) + 1], headers, body)
        end
        function done(summary, latency, requests)
          local e = summary.errors
          io.write(string.format("pare %d %d %d %d\n", summary.requests, e.status, e.connect + e.read + e.write + e.timeout, summary.duration))
        end
        """;
}
