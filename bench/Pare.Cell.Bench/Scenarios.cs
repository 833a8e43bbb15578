using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Pare.Cell.Bench;

/// <summary>Small helpers the scenarios share: JSON posts, a loopback SMTP server that records alert ids, cell set-up.</summary>
public static class Scenario
{
    public static async Task<JsonObject> PostAsync(HttpClient client, string url, object body, HttpStatusCode expected = HttpStatusCode.Created)
    {
        var response = await client.PostAsJsonAsync(url, body);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected) throw new InvalidOperationException($"{url} answered {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public static async Task<Guid> OpenCaseAsync(HttpClient client, int i, string dateOfBirth = "2011-05-17") =>
        (await PostAsync(client, "/api/v1/cases", new { firstName = "Bench", lastName = $"Case{i}", dateOfBirth, placement = new { kind = "atHome" }, confirmDistinct = true }))["id"]!.GetValue<Guid>();

    public static object Runaway(DateTimeOffset lastSeen) =>
        new { lastSeenAt = lastSeen, lastSeenPlace = "Station", reportedBy = "Educator", classification = "runaway" };

    /// <summary>Routing to the bench's SMTP server, and only "age under 15" as a criterion: the date of birth decides.</summary>
    public static async Task ConfigureAlertsAsync(HttpClient head, string prosecutorEmail = "parquet@justice.example")
    {
        async Task Put(string url, object body, string version)
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = JsonContent.Create(body) };
            request.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"");
            var response = await head.SendAsync(request);
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
        await Put("/api/v1/policy/alert-routing", new { prosecutorEmail, headEmail = "head@cell.example", onCall = new { name = "Astreinte", phone = "+33 400000000" } }, "0");
        await Put("/api/v1/policy/criteria", new
        {
            youngerThan = new { enabled = true, years = 15 },
            riskLevelAtRiskOrInSituation = new { enabled = false }, healthNeedsOrMedication = new { enabled = false }, disability = new { enabled = false },
            selfHarmRisk = new { enabled = false }, thirdPartyInvolvement = new { enabled = false }, firstKnownEpisode = new { enabled = false },
            dangerDeclared = new { enabled = false },
            missingLongerThan = new { enabled = false, hours = 48, youngerMinorHours = 24, youngerThanYears = 13 },
            repeatedEpisodes = new { enabled = false, episodes = 3, withinDays = 30 },
        }, "1");
    }
}

/// <summary>An SMTP server on loopback that records each alert id it accepts (and how many times).</summary>
public sealed class AlertSink : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    public AlertSink()
    {
        Port = BenchEnvironment.FreePort();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        _running = new SmtpServer.SmtpServer(new SmtpServerOptionsBuilder().ServerName("localhost").Endpoint(e => e.Port(Port)).Build(), services).StartAsync(_stop.Token);
    }

    public int Port { get; }
    public ConcurrentDictionary<string, int> AlertIds { get; } = new();
    public ConcurrentDictionary<string, long> AcceptedAt { get; } = new();

    /// <summary>When each case's first alert was accepted, by case reference (the subject's last 12 characters, "PC-XXXX-XXXX").</summary>
    public ConcurrentDictionary<string, long> AcceptedByCase { get; } = new();

    /// <summary>Messages the relay refuses (550), as a relay refusing one cell's recipient does.</summary>
    public Func<MimeKit.MimeMessage, bool> Refuse { get; set; } = _ => false;

    public Dictionary<string, string> Settings => new() { ["Alerts__SmtpHost"] = "127.0.0.1", ["Alerts__SmtpPort"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await _running; } catch (OperationCanceledException) { }
    }

    private sealed class Store(AlertSink sink) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            var message = await MimeKit.MimeMessage.LoadAsync(stream, cancellationToken);
            if (sink.Refuse(message)) return SmtpResponse.MailboxUnavailable;
            var subject = (message.Subject ?? "").Trim();
            if (message.Headers["X-Pare-Message-Kind"] == "alert" && subject.Length >= 12)
                sink.AcceptedByCase.TryAdd(subject[^12..], Stopwatch.GetTimestamp());
            if (message.Headers["X-Pare-Message-Kind"] == "alert" && message.Headers["X-Pare-Alert-Id"] is { } id)
            {
                sink.AlertIds.AddOrUpdate(id, 1, (_, n) => n + 1);
                sink.AcceptedAt.TryAdd(id, Stopwatch.GetTimestamp());
            }
            return SmtpResponse.Ok;
        }
    }
}
