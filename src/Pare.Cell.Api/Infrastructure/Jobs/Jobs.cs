using Hangfire;
using Hangfire.Dashboard;
using Hangfire.AspNetCore;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Pare.Cell.Api.Alerts;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Database;

namespace Pare.Cell.Api.Infrastructure.Jobs;

/// <summary>
/// Hangfire on the same PostgreSQL (schema <c>hangfire</c>) runs the time-driven work: each
/// minute, open episodes are reviewed under their cell's policy, alert deadlines are checked and
/// reminders followed up; each hour, housekeeping; each night, retention.
/// Long polling (LISTEN/NOTIFY) is on for the enqueuing side and the server. Job arguments are
/// ids only, never personal data. Prosecutor alerts themselves are delivered by
/// <see cref="AlertDispatcher"/> from an outbox written with the event (see <see cref="AlertOutbox"/>).
/// </summary>
public static class Jobs
{
    public static IServiceCollection AddPareJobs(this IServiceCollection services, string connectionString, Hosting hosting)
    {
        // This host's own storage and job activator. Left to AddHangfire, both are read back from
        // process-wide statics (JobStorage.Current, JobActivator.Current) that every host's
        // configuration sets: two hosts starting together in one process (the test suite runs
        // several) could each register and run their jobs in the other's database.
        var storageOptions = new PostgreSqlStorageOptions
        {
            SchemaName = SchemaMigrator.HangfireSchema,
            PrepareSchemaIfNecessary = false, // SchemaMigrator owns the schema
            EnableLongPolling = true,
            UseSlidingInvisibilityTimeout = true,
            InvisibilityTimeout = TimeSpan.FromMinutes(1),
            // A lock is a row: a process killed while holding one (Hangfire takes a recurring job's
            // lock each time it triggers it) leaves it behind until it is this old. With the default
            // 10 minutes, the minutely jobs — the open-episode review among them, which raises
            // alerts by duration — could stay untriggered that long after a crash. No lock here is
            // held for more than moments (our jobs take none).
            DistributedLockTimeout = TimeSpan.FromMinutes(1),
        };
        services.AddSingleton<JobStorage>(_ => new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, storageOptions), storageOptions));
        services.AddSingleton<JobActivator>(provider => new AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>()));
        JobTelemetry.InstallOnce();
        services.AddHangfire((provider, config) => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseStorage(provider.GetRequiredService<JobStorage>()));
        services.AddSingleton<OpenEpisodeReview>();
        services.AddSingleton<AlertDeadlines>();
        services.AddSingleton<Reminders.ReminderFollowUp>();
        services.AddSingleton<Housekeeping>();
        services.AddSingleton<CaseRetention>();
        if (hosting.RunsJobs)
        {
            services.AddHangfireServer(options => options.WorkerCount = Math.Max(4, Environment.ProcessorCount * 2));
            services.AddHostedService(sp => sp.GetRequiredService<AlertDispatcher>());
            services.AddHostedService<RecurringJobRegistration>();
            services.AddHostedService<OutboxGauges>();
        }
        return services;
    }

    /// <summary>
    /// <c>JobsDashboard:Enabled</c>: off by default in Production, where an operator turns it on
    /// for as long as it is needed; on elsewhere.
    /// </summary>
    public static bool DashboardEnabled(IConfiguration configuration, IHostEnvironment environment) =>
        configuration.GetValue("JobsDashboard:Enabled", !environment.IsProduction());

    /// <summary>
    /// The dashboard at <c>/hangfire</c>, when enabled, for the deployment's <c>operator</c> only
    /// (<see cref="Roles.Operator"/>): the jobs are every cell's, so no member of a cell — head or
    /// admin — sees them. Read-only: nothing in the product needs a person to run a job by hand.
    /// </summary>
    public static WebApplication UsePareJobsDashboard(this WebApplication app)
    {
        if (!DashboardEnabled(app.Configuration, app.Environment)) return app;
        app.UseHangfireDashboard("/hangfire", new DashboardOptions
        {
            Authorization = [new OperatorOnly()],
            IsReadOnlyFunc = _ => true,
            AsyncAuthorization = [],
            DisplayStorageConnectionString = false,
            DashboardTitle = "Pare.Cell jobs",
        });
        return app;
    }

    private sealed class OperatorOnly : IDashboardAuthorizationFilter
    {
        public bool Authorize(DashboardContext context)
        {
            var user = context.GetHttpContext().User;
            return user.Identity?.IsAuthenticated == true && user.IsInRole(Roles.Operator);
        }
    }

    /// <summary>
    /// Registers the recurring jobs, in the background: each registration takes that job's lock,
    /// and a job server restarted after a crash may find a lock its previous life left behind
    /// (until <c>DistributedLockTimeout</c>). Startup never waits on it, or fails for it: the
    /// server starts, dispatches alerts and runs the jobs already registered, and the registration
    /// is tried again until it succeeds.
    /// </summary>
    private sealed class RecurringJobRegistration(IRecurringJobManager jobs, ILogger<RecurringJobRegistration> logger) : BackgroundService
    {
        private static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            Action[] registrations =
            [
                () => jobs.AddOrUpdate<OpenEpisodeReview>(OpenEpisodeReview.JobId, job => job.RunAsync(CancellationToken.None), Cron.Minutely()),
                () => jobs.AddOrUpdate<AlertDeadlines>(AlertDeadlines.JobId, job => job.RunAsync(CancellationToken.None), Cron.Minutely()),
                () => jobs.AddOrUpdate<Reminders.ReminderFollowUp>(Reminders.ReminderFollowUp.JobId, job => job.RunAsync(CancellationToken.None), Cron.Minutely()),
                () => jobs.AddOrUpdate<Housekeeping>(Housekeeping.JobId, job => job.RunAsync(CancellationToken.None), Cron.Hourly()),
                () => jobs.AddOrUpdate<CaseRetention>(CaseRetention.JobId, job => job.RunAsync(CancellationToken.None), Cron.Daily(2)),
            ];
            foreach (var register in registrations)
            {
                while (true)
                {
                    try
                    {
                        await Task.Run(register, stoppingToken); // Hangfire's storage calls block
                        break;
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        logger.LogWarning(e, "Registering a recurring job failed; trying again in {Seconds} s", RetryAfter.TotalSeconds);
                        await Task.Delay(RetryAfter, stoppingToken);
                    }
                }
            }
        }
    }
}
