using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Bench;

/// <summary>
/// Issue 21's figure: one cell's trouble never delays another cell's prosecutor alert. The API and
/// the job server as two processes on one database. First, in a quiet system, <c>reports</c>
/// worrying reports of cell Q, each timed from its HTTP response to the SMTP server's acceptance
/// of its alert (the same-run baseline). Then the noise: cell J's partner endpoint accepts
/// connections and never answers while J sends <c>referrals</c> referrals (a webhook each), and the
/// relay refuses every alert of cell K (20 reports, retried); and <c>reports</c> worrying reports of
/// cell V, timed the same way. Target: V's p99 ≤ 1 s.
/// </summary>
public static class NoisyNeighbour
{
    private static readonly string[] Shares = ["riskLevel"];
    private const string PartnerSecret = "whsec_c2VjcmV0LW9mLXRoZS1wYXJ0bmVyLXdlYmhvb2stMTIz";

    public static async Task<IReadOnlyList<CommandLatency.Result>> RunAsync(BenchEnvironment environment, int reports, int referrals)
    {
        await using var sink = new AlertSink();
        sink.Refuse = m => m.To.ToString().Contains("cell-k.example", StringComparison.Ordinal);
        using var hanging = new HangingEndpoint();
        // Webhooks leave for public https addresses only: the bench's loopback endpoint is allowed by name,
        // and hangs in the TLS handshake as it would in an HTTP answer.
        var outbound = new Dictionary<string, string> { ["Outbound__AllowedHosts__0"] = "127.0.0.1" };
        var api = await environment.StartApiAsync("api", outbound);
        await environment.StartApiAsync("jobs", new Dictionary<string, string>(sink.Settings.Concat(outbound)));

        var quiet = await ReportAllAsync(environment, api, sink, "bench-q", reports, "report → SMTP accepted, quiet (baseline)");

        // The noise: J's hanging partner webhooks, K's refused alerts.
        using var j = environment.Client(api, "bench-j", "head", "bench-head-j");
        await Scenario.ConfigureAlertsAsync(j);
        var partner = await Scenario.PostAsync(j, "/api/v1/partners", new
        {
            name = "Partenaire muet", type = "association",
            contacts = new[] { new { name = "Accueil", role = "Accueil", phone = "0400000000", email = "accueil@asso.example" } },
            webhookUrl = hanging.Url.Replace("http://", "https://", StringComparison.Ordinal), webhookSecret = PartnerSecret,
        });
        var partnerId = partner["id"]!.GetValue<Guid>();
        for (var i = 0; i < referrals; i++)
        {
            var caseId = await Scenario.OpenCaseAsync(j, i, "2009-05-17");
            var draft = await Scenario.PostAsync(j, $"/api/v1/cases/{caseId}/referrals",
                new { partnerId, reason = "Accompagnement", shares = Shares, guardianConsented = true });
            await Scenario.PostAsync(j, $"/api/v1/referrals/{draft["id"]!.GetValue<Guid>()}/sending", new { }, HttpStatusCode.OK);
        }
        using var k = environment.Client(api, "bench-k", "head", "bench-head-k");
        await Scenario.ConfigureAlertsAsync(k, prosecutorEmail: "parquet@cell-k.example");
        for (var i = 0; i < 20; i++)
            await Scenario.PostAsync(k, $"/api/v1/cases/{await Scenario.OpenCaseAsync(k, i, "2013-05-17")}/episodes", Scenario.Runaway(DateTimeOffset.UtcNow.AddMinutes(-30)));
        for (var i = 0; i < 100 && hanging.Connections < 4; i++) await Task.Delay(100);
        if (hanging.Connections == 0) throw new InvalidOperationException("J's webhooks never reached the hanging endpoint: no noise.");

        var noisy = await ReportAllAsync(environment, api, sink, "bench-v", reports, "report → SMTP accepted, cell V beside J and K");
        var connections = hanging.Connections;
        return
        [
            new(noisy.ToString(), $"p99 {noisy.Percentile(99):0} ms", "p99 ≤ 1000 ms", noisy.Percentile(99) <= 1000),
            new(quiet.ToString(), $"p99 {quiet.Percentile(99):0} ms", "", null),
            new($"noise: {referrals} hanging webhooks of J ({connections} connections held), 20 refused alerts of K", "", "", null),
        ];
    }

    /// <summary>One report at a time, each timed from its response to its alert's acceptance; the first ten warm up.</summary>
    private static async Task<Latencies> ReportAllAsync(BenchEnvironment environment, Uri api, AlertSink sink, string cell, int reports, string name)
    {
        using var head = environment.Client(api, cell, "head", $"{cell}-head");
        await Scenario.ConfigureAlertsAsync(head);
        var latency = new Latencies(name);
        for (var i = 0; i < reports + 10; i++)
        {
            var caseId = await Scenario.OpenCaseAsync(head, i, "2013-05-17");
            await Scenario.PostAsync(head, $"/api/v1/cases/{caseId}/episodes", Scenario.Runaway(DateTimeOffset.UtcNow.AddMinutes(-30)));
            var responded = Stopwatch.GetTimestamp();
            var reference = Pare.Cell.Domain.Cases.CaseReference.For(caseId);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            long at;
            while (!sink.AcceptedByCase.TryGetValue(reference, out at))
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"Alert for {reference} of {cell} not received in 60 s.");
                await Task.Delay(1);
            }
            if (i >= 10) latency.Add(Stopwatch.GetElapsedTime(responded, at).TotalMilliseconds);
        }
        return latency;
    }
}
