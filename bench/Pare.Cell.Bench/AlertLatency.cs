using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Pare.Cell.Bench;

/// <summary>
/// Issue 4's figure: the API and the job server as two separate processes on one database; time
/// from the HTTP response of a worrying report to the alert's acceptance by an SMTP server on
/// loopback (<see cref="AlertSink"/>). Baseline in the same run: a MailKit send of a similar message straight to that server.
/// </summary>
public static class AlertLatency
{
    public static async Task<IReadOnlyList<CommandLatency.Result>> RunAsync(BenchEnvironment environment, int reports)
    {
        await using var sink = new AlertSink();
        var smtpPort = sink.Port;
        var accepted = sink.AcceptedByCase;
        var smtpSettings = sink.Settings;
        var api = await environment.StartApiAsync("api");
        await environment.StartApiAsync("jobs", smtpSettings);

        using var head = environment.Client(api, "bench-alerts", "head", "bench-head");
        using var setRouting = new HttpRequestMessage(HttpMethod.Put, "/api/v1/policy/alert-routing")
        {
            Content = JsonContent.Create(new
            {
                prosecutorEmail = "parquet@justice.example", headEmail = "head@cell.example",
                onCall = new { name = "Astreinte", phone = "+33 400000000" },
            }),
        };
        setRouting.Headers.TryAddWithoutValidation("If-Match", "\"0\"");
        (await head.SendAsync(setRouting)).EnsureSuccessStatusCode();

        var latency = new Latencies("report response → SMTP accepted");
        var baseline = new Latencies("baseline: MailKit send to the same server");
        for (var i = 0; i < reports + 10; i++)
        {
            var opened = await PostAsync(head, "/api/v1/cases", new { firstName = "Bench", lastName = $"Alert{i}", dateOfBirth = "2013-05-17", placement = new { kind = "atHome" } });
            var caseId = opened["id"]!.GetValue<Guid>();
            await PostAsync(head, $"/api/v1/cases/{caseId}/episodes", new { lastSeenAt = DateTimeOffset.UtcNow.AddMinutes(-30), lastSeenPlace = "Station", reportedBy = "Educator", classification = "runaway" });
            var responded = Stopwatch.GetTimestamp();
            var reference = Pare.Cell.Domain.Cases.CaseReference.For(caseId);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            long at;
            while (!accepted.TryGetValue(reference, out at))
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"Alert for {reference} not received in 30 s.");
                await Task.Delay(1);
            }
            if (i >= 10) latency.Add(Stopwatch.GetElapsedTime(responded, at).TotalMilliseconds); // the first ten warm up

            var sendStarted = Stopwatch.GetTimestamp();
            using (var client = new MailKit.Net.Smtp.SmtpClient())
            {
                await client.ConnectAsync("127.0.0.1", smtpPort, MailKit.Security.SecureSocketOptions.None);
                var message = new MimeKit.MimeMessage { Subject = $"baseline {i}" };
                message.From.Add(MimeKit.MailboxAddress.Parse("a@b.example"));
                message.To.Add(MimeKit.MailboxAddress.Parse("c@d.example"));
                message.Body = new MimeKit.TextPart("plain") { Text = new string('x', 2000) };
                await client.SendAsync(message);
                await client.DisconnectAsync(true);
            }
            if (i >= 10) baseline.Add(Stopwatch.GetElapsedTime(sendStarted).TotalMilliseconds);
        }

        return
        [
            new(latency.ToString(), $"p99 {latency.Percentile(99):0} ms", "p99 < 1000 ms", latency.Percentile(99) < 1000),
            new(baseline.ToString(), "", "", null),
            new("ratio: alert p50 / direct send p50", $"{latency.Percentile(50) / baseline.Percentile(50):0.0}×", "", null),
        ];
    }

    private static async Task<JsonObject> PostAsync(HttpClient client, string url, object body)
    {
        var response = await client.PostAsJsonAsync(url, body);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{url} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }
}
