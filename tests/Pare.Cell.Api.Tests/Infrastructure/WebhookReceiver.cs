using System.Collections.Concurrent;
using System.Net;

namespace Pare.Cell.Api.Tests.Infrastructure;

/// <summary>A real HTTP listener on loopback that records what it receives and can fail on demand.</summary>
public sealed class WebhookReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();

    /// <param name="anyAddress">
    /// Listen on every address of the machine (127.0.0.2 too, which the tests' outbound allow-list does
    /// not name) and answer whatever host name the request was sent to; <see cref="Received.LocalAddress"/>
    /// tells which address it reached. Otherwise 127.0.0.1, the allow-listed one.
    /// </param>
    public WebhookReceiver(bool anyAddress = false)
    {
        Port = PostgresServer.FreePort();
        _listener.Prefixes.Add(anyAddress ? $"http://*:{Port}/" : $"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Task.Run(LoopAsync);
    }

    public int Port { get; }
    public string Url => $"http://127.0.0.1:{Port}/hooks/pare";

    /// <summary>When set, every request is answered 307 toward this URL.</summary>
    public string? RedirectTo { get; set; }

    /// <summary>When set, every request is answered with this status (after the simulated failures).</summary>
    public int? Status { get; set; }
    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>How many of the next requests answer 503 before it accepts.</summary>
    public int FailuresToSimulate { get; set; }

    public sealed record Received(string Body, IReadOnlyDictionary<string, string> Headers, int Status, IPAddress LocalAddress)
    {
        /// <summary>Verified as a receiver would, with the StandardWebhooks package: throws if the signature or headers are wrong.</summary>
        public void ShouldBeSignedWith(string secret)
        {
            var headers = new Microsoft.AspNetCore.Http.HeaderDictionary();
            foreach (var (name, value) in Headers) headers[name] = value;
            new StandardWebhooks.StandardWebhook(secret).Verify(Body, headers);
        }
    }

    /// <summary>A fresh Standard Webhooks secret: whsec_ and 32 random bytes in base64.</summary>
    public static string NewSecret() => "whsec_" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// The first request received that matches, waiting up to 30 s for it; <paramref name="betweenPolls"/> runs
    /// between looks (advancing the app's clock, so that a retry's backoff passes).
    /// </summary>
    public async Task<Received> WaitForAsync(Func<Received, bool> predicate, Action? betweenPolls = null)
    {
        for (var i = 0; i < 300; i++)
        {
            if (Requests.FirstOrDefault(predicate) is { } received) return received;
            betweenPolls?.Invoke();
            await Task.Delay(100);
        }
        throw new TimeoutException("No matching webhook request was received.");
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) { return; }
            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            var status = FailuresToSimulate > 0 ? 503 : RedirectTo is not null ? 307 : Status ?? 200;
            if (status == 503) FailuresToSimulate--;
            Requests.Enqueue(new Received(body, context.Request.Headers.AllKeys.ToDictionary(k => k!, k => context.Request.Headers[k]!), status,
                context.Request.LocalEndPoint.Address is { IsIPv4MappedToIPv6: true } mapped ? mapped.MapToIPv4() : context.Request.LocalEndPoint.Address));
            context.Response.StatusCode = status;
            if (status == 307) context.Response.RedirectLocation = RedirectTo;
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
    }
}
