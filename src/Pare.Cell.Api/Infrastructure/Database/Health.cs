using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Pare.Cell.Api.Infrastructure.Database;

/// <summary>
/// <c>/health/live</c>: the process answers. <c>/health/ready</c>: and what its roles need works.
/// The API: PostgreSQL answers. The job server: PostgreSQL answers, this process's Hangfire server
/// beats in the storage, and its alert dispatcher beats (a stuck dispatcher makes it not ready, so
/// the orchestrator stops counting on it and restarts it). The answer lists each check.
/// </summary>
public static class Health
{
    private const string Ready = "ready";

    public static IServiceCollection AddPareHealthChecks(this IServiceCollection services, Hosting hosting)
    {
        var checks = services.AddHealthChecks().AddCheck<PostgresAnswers>("postgres", tags: [Ready]);
        if (hosting.RunsJobs)
            checks.AddCheck<HangfireServerBeats>("hangfire", tags: [Ready])
                .AddCheck<Alerts.DispatcherHeartbeat.Check>("dispatcher", tags: [Ready]);
        return services;
    }

    private static Task WriteChecks(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        return http.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), e.Value.Description }),
        });
    }

    public static WebApplication MapPareHealthChecks(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = WriteChecks }).AllowAnonymous();
        return app;
    }

    private sealed class PostgresAnswers(NpgsqlDataSource dataSource) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(3));
                await using var command = dataSource.CreateCommand("select 1");
                await command.ExecuteScalarAsync(timeout.Token);
                return HealthCheckResult.Healthy();
            }
            catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy("PostgreSQL does not answer.");
            }
        }
    }

    /// <summary>This process's Hangfire server, once registered in the storage, beat within the last minute.</summary>
    private sealed class HangfireServerBeats(Hangfire.JobStorage storage) : IHealthCheck
    {
        private static readonly string Prefix = $"{Environment.MachineName}:{Environment.ProcessId}:";

        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
        {
            try
            {
                var mine = storage.GetMonitoringApi().Servers()
                    .Where(s => s.Name.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
                    .Max(s => s.Heartbeat);
                var now = DateTime.UtcNow; // Hangfire's heartbeats are the system clock's, whatever the app's TimeProvider
                // Not announced yet (a server starting): reported, not blocking; announced then silent: dead.
                return Task.FromResult(mine switch
                {
                    null => HealthCheckResult.Degraded("Hangfire server not announced yet"),
                    { } beat when now - beat < TimeSpan.FromMinutes(1) => HealthCheckResult.Healthy(),
                    _ => HealthCheckResult.Unhealthy("Hangfire server silent for over a minute"),
                });
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                return Task.FromResult(HealthCheckResult.Unhealthy("Hangfire storage does not answer."));
            }
        }
    }
}
