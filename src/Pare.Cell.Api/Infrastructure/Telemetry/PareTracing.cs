using System.Diagnostics;
using Npgsql;
using OpenTelemetry;

namespace Pare.Cell.Api.Infrastructure.Telemetry;

/// <summary>The application's own spans: use cases, jobs, the dispatcher, SMTP sends. Ids only.</summary>
public static class PareTracing
{
    public const string SourceName = "Pare.Cell";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>The W3C trace id of what is running now (a request, a job), or null outside any.</summary>
    public static string? CurrentTraceId => Activity.Current is { } activity ? activity.TraceId.ToHexString() : null;

    /// <summary>
    /// The current span's W3C <c>traceparent</c>, to store beside work handed to another process (the
    /// alert outbox) so that its delivery continues the same trace. An id, not personal data.
    /// </summary>
    public static string? CurrentTraceParent => Activity.Current is { } activity
        ? $"00-{activity.TraceId.ToHexString()}-{activity.SpanId.ToHexString()}-{(activity.Recorded ? "01" : "00")}"
        : null;

    /// <summary>Starts a span continuing a stored <c>traceparent</c> (a new trace when absent or malformed).</summary>
    public static Activity? StartContinuing(string name, string? traceParent, ActivityKind kind = ActivityKind.Consumer) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, null, isRemote: true, out var parent)
            ? Source.StartActivity(name, kind, parent)
            : Source.StartActivity(name, kind);
}

/// <summary>
/// The last guard before export: a failed PostgreSQL command's status text is PostgreSQL's message,
/// which can quote a value (<c>invalid input syntax for type uuid: "…"</c>); only its SQLSTATE leaves.
/// </summary>
internal sealed class PrivacyProcessor : BaseProcessor<Activity>
{
    public override void OnEnd(Activity data)
    {
        if (data.Status != ActivityStatusCode.Error || data.StatusDescription is null) return;
        var sqlState = data.GetTagItem("db.response.status_code") as string;
        data.SetStatus(ActivityStatusCode.Error, sqlState is null ? "error" : $"sqlstate {sqlState}");
    }
}
