using System.Security.Cryptography;
using System.Text;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Pare.Cell.Api.Infrastructure.Telemetry;

/// <summary>
/// OpenTelemetry: traces of HTTP requests, use cases, PostgreSQL commands (Npgsql), outgoing webhooks
/// (HttpClient), SMTP sends, Hangfire jobs and the alert dispatcher; metrics of the same plus the
/// product's own (<see cref="PareMetrics"/>). Exported by OTLP when an endpoint is configured, and
/// served to Prometheus on <c>/metrics</c>, never publicly: only on the metrics port or with the
/// operator token.
/// <para>
/// Nothing personal goes into a span or a label: routes are templates, query strings are redacted
/// by the instrumentations, Npgsql records the statement text (parameters never), our own spans
/// and instruments carry ids, use-case names and outcomes. The canary test scans all of them.
/// </para>
/// </summary>
public static class Telemetry
{
    public const string MetricsPath = "/metrics";

    public static IServiceCollection AddPareTelemetry(this IServiceCollection services, IConfiguration configuration, Hosting hosting)
    {
        var settings = TelemetrySettings.From(configuration);
        services.AddSingleton(settings);
        services.AddHostedService<DatabaseProbe>();
        var serviceName = configuration["OTEL_SERVICE_NAME"] ?? (hosting.ServesApi ? "pare-cell-api" : "pare-cell-jobs");
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService(serviceName, serviceVersion: typeof(Telemetry).Assembly.GetName().Version?.ToString(),
                    serviceInstanceId: $"{Environment.MachineName}:{Environment.ProcessId}")
                .AddAttributes([new("pare.roles", (hosting.ServesApi, hosting.RunsJobs) switch { (true, true) => "api,jobs", (true, false) => "api", _ => "jobs" })]))
            .WithTracing(tracing =>
            {
                // Without a destination, nothing is recorded: requests and jobs still get a W3C trace id
                // (root spans are created for propagation), which the logs and problem answers carry.
                // AlwaysOff makes root spans only (for their ids), none beneath: no cost per SQL command.
                tracing.SetSampler(settings.TraceSampleRatio <= 0 ? new AlwaysOffSampler()
                        : new ParentBasedSampler(new TraceIdRatioBasedSampler(settings.TraceSampleRatio)))
                    .AddSource(PareTracing.SourceName)
                    .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsProbeOrScrape(http.Request.Path))
                    .AddHttpClientInstrumentation()
                    .AddNpgsql()
                    .AddProcessor(new PrivacyProcessor());
                if (settings.OtlpEndpoint is { } endpoint) tracing.AddOtlpExporter(o => o.Endpoint = endpoint);
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(PareMetrics.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddNpgsqlInstrumentation()
                    .AddView(PareMetrics.AlertDeliveryLatencyName, new ExplicitBucketHistogramConfiguration
                    {
                        // Seconds: an alert leaves within seconds; past the 10-minute deadline it escalates.
                        Boundaries = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800],
                    })
                    .AddPrometheusExporter();
                if (settings.OtlpEndpoint is { } endpoint) metrics.AddOtlpExporter(o => o.Endpoint = endpoint);
            });
        return services;
    }

    /// <summary>
    /// <c>/metrics</c> for Prometheus, answered only on the metrics port (<c>Telemetry:MetricsPort</c>,
    /// which serves nothing else) or to a bearer of the operator token (<c>Telemetry:MetricsToken</c>).
    /// Anyone else gets a 404, as for a route that does not exist.
    /// </summary>
    public static WebApplication UsePareMetricsEndpoint(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<TelemetrySettings>();
        app.UseOpenTelemetryPrometheusScrapingEndpoint(http => http.Request.Path == MetricsPath && settings.MayScrape(http));
        if (settings.MetricsPort is { } port)
            app.Use((http, next) => http.Connection.LocalPort == port ? Refuse(http) : next(http));
        return app;
    }

    private static Task Refuse(HttpContext http)
    {
        http.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    private static bool IsProbeOrScrape(PathString path) =>
        path.StartsWithSegments("/health", StringComparison.Ordinal) || path.StartsWithSegments(MetricsPath, StringComparison.Ordinal);

    /// <summary>Adds the metrics port to the addresses Kestrel listens on (before the host is built).</summary>
    public static void ListenForMetrics(this WebApplicationBuilder builder)
    {
        if (TelemetrySettings.From(builder.Configuration).MetricsPort is not { } port) return;
        var urls = builder.WebHost.GetSetting(WebHostDefaults.ServerUrlsKey);
        if (string.IsNullOrWhiteSpace(urls)) urls = "http://localhost:5000";
        builder.WebHost.UseUrls($"{urls};http://0.0.0.0:{port}");
    }
}

public sealed record TelemetrySettings(Uri? OtlpEndpoint, double TraceSampleRatio, int? MetricsPort, string? MetricsToken)
{
    public static TelemetrySettings From(IConfiguration configuration)
    {
        var endpoint = configuration["Telemetry:OtlpEndpoint"] ?? configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        Uri? otlp = string.IsNullOrWhiteSpace(endpoint) ? null : new Uri(endpoint);
        var ratio = configuration.GetValue<double?>("Telemetry:TraceSampleRatio") ?? (otlp is null ? 0 : 1);
        var port = configuration.GetValue<int?>("Telemetry:MetricsPort");
        var token = configuration["Telemetry:MetricsToken"];
        if (token is { Length: > 0 and < 16 }) throw new InvalidOperationException("Telemetry:MetricsToken must be at least 16 characters.");
        return new(otlp, Math.Clamp(ratio, 0, 1), port is > 0 ? port : null, string.IsNullOrEmpty(token) ? null : token);
    }

    public bool MayScrape(HttpContext http)
    {
        if (MetricsPort is { } port && http.Connection.LocalPort == port) return true;
        if (MetricsToken is null) return false;
        var header = http.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        return header.StartsWith(scheme, StringComparison.Ordinal)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[scheme.Length..]), Encoding.UTF8.GetBytes(MetricsToken));
    }
}
