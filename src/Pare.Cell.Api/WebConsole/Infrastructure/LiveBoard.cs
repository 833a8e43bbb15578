using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Npgsql;
using Pare.Cell.Api.Caseload;
using Pare.Cell.Api.Infrastructure.Auth;

namespace Pare.Cell.Api.WebConsole.Infrastructure;

/// <summary>
/// The "right now" board's server-sent events (<see cref="ConsolePaths.Live"/>). The stream carries no data about
/// anyone: only the cell's event count (<see cref="Freshness"/>), sent as <c>event: change</c> whenever it moves
/// (an episode opens, becomes worrying, an alert is delivered or acknowledged, a minor returns…). The page then
/// fetches its board again, through the page's handler: the same query, authorization and journal as a reload.
/// <para>
/// The count is read every <c>Console:LivePollInterval</c> (2 s; about 1.5 ms of database time for 10,000 cases),
/// a comment keeps proxies from closing a quiet stream, and the stream ends after <c>Console:LiveStreamLifetime</c>
/// (5 min): the browser reconnects by itself (Last-Event-ID) and the session cookie is checked again. The stream
/// and the board's refresh never extend the session: an unattended board ends with the 30 minutes idle limit.
/// </para>
/// </summary>
public static class LiveBoard
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public static async Task StreamAsync(HttpContext http, CurrentUser user, NpgsqlDataSource dataSource, IConfiguration configuration, TimeProvider clock)
    {
        var poll = configuration.GetValue("Console:LivePollInterval", TimeSpan.FromSeconds(2));
        var lifetime = configuration.GetValue("Console:LiveStreamLifetime", TimeSpan.FromMinutes(5));
        var response = http.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache, no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

        // Where the page (or the last event received, on a reconnection) left off; -1: send the count at once.
        var last = long.TryParse(http.Request.Headers["Last-Event-ID"].ToString(), out var seen) ? seen
            : long.TryParse(http.Request.Query["depuis"].ToString(), out var from) ? from : -1;
        var ct = http.RequestAborted;
        var started = DateTimeOffset.UtcNow;
        var quietSince = started;
        try
        {
            await WriteAsync(response, "retry: 3000\n\n", ct);
            while (DateTimeOffset.UtcNow - started < lifetime)
            {
                var sequence = (await Freshness.ReadAsync(dataSource, user.CellId, clock, ct)).AsOfSequence;
                if (sequence != last)
                {
                    last = sequence;
                    await WriteAsync(response, $"id: {sequence}\nevent: change\ndata: {sequence}\n\n", ct);
                    quietSince = DateTimeOffset.UtcNow;
                }
                else if (DateTimeOffset.UtcNow - quietSince >= Heartbeat)
                {
                    await WriteAsync(response, ": en veille\n\n", ct);
                    quietSince = DateTimeOffset.UtcNow;
                }
                await Task.Delay(poll, ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The page was closed.
        }
    }

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken ct)
    {
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
        await response.Body.FlushAsync(ct);
    }

    /// <summary>Requests the page makes by itself (the stream, the board's refresh): they never extend the session.</summary>
    public static bool IsAutomatic(HttpRequest request) => ConsolePaths.IsLive(request) || request.Headers["X-Pare-Auto"] == "1";
}
