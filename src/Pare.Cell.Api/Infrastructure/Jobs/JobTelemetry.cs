using System.Diagnostics;
using Hangfire;
using Hangfire.Common;
using Hangfire.Server;
using Pare.Cell.Api.Infrastructure.Telemetry;

namespace Pare.Cell.Api.Infrastructure.Jobs;

/// <summary>
/// Each Hangfire job run is a span (the root of the trace its database commands and case writes join)
/// and a <c>pare.job.duration</c> measurement, by job class and outcome; its log lines carry that
/// trace id. Installed once per process: Hangfire's filters are process-wide, and this one holds nothing.
/// </summary>
public sealed class JobTelemetry : JobFilterAttribute, IServerFilter
{
    private const string ActivityKey = "pare.activity";
    private const string StartedKey = "pare.started";
    private static int _installed;

    public static void InstallOnce()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 0) GlobalJobFilters.Filters.Add(new JobTelemetry());
    }

    public void OnPerforming(PerformingContext context)
    {
        // Started here, in the worker's own flow: the job's method runs after this returns, under this span.
        var activity = PareTracing.Source.StartActivity($"job {Name(context)}", ActivityKind.Internal);
        activity?.SetTag("pare.job", Name(context));
        context.Items[ActivityKey] = activity;
        context.Items[StartedKey] = Stopwatch.GetTimestamp();
    }

    public void OnPerformed(PerformedContext context)
    {
        var failed = context.Exception is not null && !context.ExceptionHandled;
        if (context.Items.TryGetValue(StartedKey, out var started) && started is long timestamp)
            PareMetrics.JobRan(Name(context), !failed, Stopwatch.GetElapsedTime(timestamp));
        if (context.Items.TryGetValue(ActivityKey, out var value) && value is Activity activity)
        {
            if (failed) activity.SetStatus(ActivityStatusCode.Error, context.Exception!.GetType().Name);
            activity.Dispose();
        }
    }

    private static string Name(PerformContext context) => context.BackgroundJob.Job?.Type.Name ?? "unknown";
}
