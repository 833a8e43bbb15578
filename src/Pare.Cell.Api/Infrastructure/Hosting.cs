namespace Pare.Cell.Api.Infrastructure;

/// <summary>
/// What this process does: <c>Hosting:Roles</c> = <c>api</c>, <c>jobs</c> or <c>api,jobs</c> (the
/// default). The API serves HTTP; the job server runs Hangfire's workers and the alert
/// dispatcher, so it can be scaled and restarted apart from the API. Any number of either can
/// share one database: jobs and alerts are claimed through PostgreSQL.
/// </summary>
public sealed record Hosting(bool ServesApi, bool RunsJobs)
{
    public static Hosting From(IConfiguration configuration)
    {
        var roles = (configuration["Hosting:Roles"] ?? "api,jobs")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(r => r.ToLowerInvariant())
            .ToHashSet();
        if (roles.Except(["api", "jobs"]).Any() || roles.Count == 0)
            throw new InvalidOperationException("Hosting:Roles takes api, jobs or api,jobs.");
        return new Hosting(roles.Contains("api"), roles.Contains("jobs"));
    }
}
