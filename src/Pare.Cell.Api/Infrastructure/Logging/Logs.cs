using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;

namespace Pare.Cell.Api.Infrastructure.Logging;

/// <summary>
/// Serilog, structured, one line per request. Log properties carry ids, never names or dates
/// of birth: request paths hold ids only, and use cases log their type name, not their payload.
/// Every line carries the W3C trace and span ids of what wrote it (a request, a job, a delivery),
/// and the user and cell ids inside a request, so a problem answer's <c>traceId</c> or a trace in
/// the tracing backend leads to its lines. <c>Logs:Format</c>: <c>text</c> (default) or <c>json</c>
/// (compact JSON, one object per line, for log shippers: <c>@tr</c> and <c>@sp</c> are the ids).
/// </summary>
public static class Logs
{
    public const string TextTemplate =
        "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} trace={TraceId} span={SpanId} user={UserId} cell={CellId}{NewLine}{Exception}";

    public static ITextFormatter Formatter(IConfiguration configuration) =>
        string.Equals(configuration["Logs:Format"], "json", StringComparison.OrdinalIgnoreCase)
            ? new RenderedCompactJsonFormatter()
            : new MessageTemplateTextFormatter(TextTemplate, System.Globalization.CultureInfo.InvariantCulture);

    public static IServiceCollection AddPareLogging(this IServiceCollection services, IConfiguration configuration)
    {
        var formatter = Formatter(configuration);
        services.AddHttpContextAccessor();
        services.AddSingleton<ILogEventEnricher, CallerEnricher>(); // read by ReadFrom.Services
        services.AddSerilog((provider, logger) => logger
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Marten", LogEventLevel.Warning) // Marten logs its whole DDL at Information
            .MinimumLevel.Override("Hangfire", LogEventLevel.Warning)
            .MinimumLevel.Override("Npgsql", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.AspNetCore.DataProtection", LogEventLevel.Error)
            .ReadFrom.Configuration(configuration)
            .ReadFrom.Services(provider) // extra sinks registered in DI (tests capture logs this way)
            .Enrich.FromLogContext()
            // A background writer: a request never waits on the console (a slow pipe would stall
            // the thread pool). Under a sustained flood beyond its buffer, lines are dropped, never requests.
            .WriteTo.Async(sink => sink.Console(formatter), bufferSize: 10_000),
            preserveStaticLogger: true); // several hosts in one process (tests) each keep their own logger
        return services;
    }

    public static IApplicationBuilder UsePareRequestLogging(this IApplicationBuilder app) =>
        app.UseSerilogRequestLogging(options =>
        {
            options.Logger = app.ApplicationServices.GetRequiredService<Serilog.ILogger>();
            // The path template, not the query string: filters could one day carry text.
            options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";
            // The user and cell come from CallerEnricher, as on every other line of the request.
            // A 503 (the database restarting) is an outage to watch, not a defect: a warning. 500s are errors.
            options.GetLevel = (http, _, exception) => exception is not null || http.Response.StatusCode == StatusCodes.Status500InternalServerError
                ? LogEventLevel.Error
                : http.Response.StatusCode >= 500 ? LogEventLevel.Warning : LogEventLevel.Information;
        });
}

/// <summary>
/// Every line written during an authenticated request names its user and cell (ids), wherever it is
/// written: a handler, the exception handler (which runs outside the authenticated part of the pipeline).
/// </summary>
public sealed class CallerEnricher(IHttpContextAccessor accessor) : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        if (accessor.HttpContext?.User is not { Identity.IsAuthenticated: true } user) return;
        logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("UserId", user.FindFirst(Auth.Claims.Subject)?.Value));
        logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("CellId", user.FindFirst(Auth.Claims.Cell)?.Value));
    }
}
