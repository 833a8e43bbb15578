using Hangfire;
using Hangfire.PostgreSql;
using Pare.Cell.Api.Infrastructure.Database;

namespace Pare.Cell.Api.Infrastructure.Jobs;

/// <summary>
/// Hangfire on the same PostgreSQL (schema <c>hangfire</c>). Long polling (LISTEN/NOTIFY) is on
/// for both the enqueuing side and the server: without it a job enqueued by one process waits
/// up to 15 s for another process to poll. Job arguments are ids only, never personal data.
/// </summary>
public static class Jobs
{
    public static IServiceCollection AddPareJobs(this IServiceCollection services, string connectionString)
    {
        services.AddHangfire(config => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(
                bootstrap => bootstrap.UseNpgsqlConnection(connectionString),
                new PostgreSqlStorageOptions
                {
                    SchemaName = SchemaMigrator.HangfireSchema,
                    PrepareSchemaIfNecessary = false, // SchemaMigrator owns the schema
                    EnableLongPolling = true,
                    UseSlidingInvisibilityTimeout = true,
                    InvisibilityTimeout = TimeSpan.FromMinutes(1),
                }));
        services.AddHangfireServer(options => options.WorkerCount = Math.Max(4, Environment.ProcessorCount * 2));
        return services;
    }
}
