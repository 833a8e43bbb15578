using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Pare.Cell.Api.Alerts;

/// <summary>
/// The dispatcher's pulse: its prosecutor lane beats on every turn of its loop (at least every poll
/// interval), unless one of its sends has been in flight longer than the stall limit. A dispatcher stuck longer than <c>Alerts:DispatcherStallAfter</c>
/// (default: two send timeouts plus a poll interval) makes the job server not ready, and its age is
/// <c>pare.dispatcher.heartbeat.age</c>, which the <c>PareDispatcherHeartbeatMissing</c> alarm watches.
/// Monotonic time: a clock moved by a test or NTP neither fakes nor hides a stall.
/// </summary>
public sealed class DispatcherHeartbeat
{
    private long _last = Stopwatch.GetTimestamp();

    public DispatcherHeartbeat(IOptions<AlertSettings> options)
    {
        var settings = options.Value;
        StallAfter = settings.DispatcherStallAfter ?? 2 * settings.SendTimeout + settings.PollInterval;
    }

    public TimeSpan StallAfter { get; }

    public TimeSpan Age => Stopwatch.GetElapsedTime(Interlocked.Read(ref _last));

    public void Beat() => Interlocked.Exchange(ref _last, Stopwatch.GetTimestamp());

    /// <summary>Readiness of the job server: its dispatcher beat recently.</summary>
    public sealed class Check(DispatcherHeartbeat heartbeat) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken) =>
            Task.FromResult(heartbeat.Age <= heartbeat.StallAfter
                ? HealthCheckResult.Healthy($"beat {heartbeat.Age.TotalSeconds:0.0} s ago")
                : HealthCheckResult.Unhealthy($"no beat for {heartbeat.Age.TotalSeconds:0} s (stalled after {heartbeat.StallAfter.TotalSeconds:0} s)"));
    }
}
