using Npgsql;

namespace Pare.Cell.Api.Infrastructure.Jobs;

/// <summary>
/// A recurring job (hourly): idempotency keys are kept 24 hours — long enough for any client's
/// retries — then deleted with the answers they stored (sealed: they may carry case data); access-journal
/// entries are kept as long as <c>migrate</c> set (<c>AccessJournal:RetentionMonths</c>, 12), then purged;
/// failed partner token requests are forgotten once their window has ended.
/// </summary>
public sealed class Housekeeping(NpgsqlDataSource dataSource, Database.AccessJournal journal, Partners.PartnerClients partnerClients, TimeProvider clock, ILogger<Housekeeping> logger)
{
    public const string JobId = "housekeeping";
    public static readonly TimeSpan IdempotencyKeyLifetime = TimeSpan.FromHours(24);

    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("delete from pare.idempotent_requests where created_at < $1");
        command.Parameters.Add(new() { Value = clock.GetUtcNow() - IdempotencyKeyLifetime });
        var deleted = await command.ExecuteNonQueryAsync(cancellationToken);
        if (deleted > 0) logger.LogInformation("Deleted {Count} expired idempotency keys", deleted);

        var purged = await journal.PurgeAsync(cancellationToken);
        if (purged > 0) logger.LogInformation("Purged {Count} access-journal entries past retention", purged);

        await partnerClients.ForgetOldFailuresAsync(cancellationToken);
    }
}
