using Serilog;
using Serilog.Events;

namespace Pare.Cell.Api.Infrastructure.Logging;

/// <summary>
/// Serilog, structured, one line per request. Log properties carry ids, never names or dates
/// of birth: request paths hold ids only, and use cases log their type name, not their payload.
/// </summary>
public static class Logs
{
    public static IServiceCollection AddPareLogging(this IServiceCollection services, IConfiguration configuration)
    {
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
            .WriteTo.Async(sink => sink.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture), bufferSize: 10_000),
            preserveStaticLogger: true); // several hosts in one process (tests) each keep their own logger
        return services;
    }

    public static IApplicationBuilder UsePareRequestLogging(this IApplicationBuilder app) =>
        app.UseSerilogRequestLogging(options =>
        {
            options.Logger = app.ApplicationServices.GetRequiredService<Serilog.ILogger>();
            // The path template, not the query string: filters could one day carry text.
            options.MessageTemplate = "HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms";
            options.EnrichDiagnosticContext = (diagnostics, http) =>
            {
                var user = http.User;
                if (user.Identity?.IsAuthenticated == true)
                {
                    diagnostics.Set("UserId", user.FindFirst(Auth.Claims.Subject)?.Value);
                    diagnostics.Set("CellId", user.FindFirst(Auth.Claims.Cell)?.Value);
                }
            };
        });
}
