using Hangfire.PostgreSql;
using Marten;
using Npgsql;
using Pare.Cell.Api.Infrastructure.Http;

namespace Pare.Cell.Api.Infrastructure.Database;

/// <summary>
/// Applies the whole database schema as its owner (<see cref="DatabaseConnections.Owner"/>):
/// Marten's tables, Hangfire's <c>hangfire</c> schema and our own SQL (the access journal and its
/// retention, idempotency keys, the alert outbox, partner clients, the reminder follow-up, the console's data-protection keys), then
/// grants the application role (<see cref="DatabaseRoles"/>). <c>dotnet Pare.Cell.Api.dll migrate</c>
/// runs it; so does startup when <c>Database:ApplySchemaOnStartup</c> is on (the default in
/// Development only).
/// </summary>
public sealed class SchemaMigrator(DatabaseConnections connections, IConfiguration configuration, IdempotentAnswers idempotentAnswers, ILogger<SchemaMigrator> logger)
{
    public const string HangfireSchema = "hangfire";

    /// <summary>
    /// Our indexes on Marten's tables. The caseload and the case lists read a cell's cases by
    /// worker from the first, the open-episode review and list read the missing minors from the
    /// second (a handful of rows). Neither holds <c>last_activity_at</c>, which every command
    /// changes: with room left on each page (fillfactor), rewriting a case is a HOT update.
    /// </summary>
    private static readonly string AfterMarten = $"""
        drop index if exists pare.caseload_by_cell, pare.mt_doc_case_idx_assigned_worker_id, pare.mt_doc_case_idx_status,
            pare.mt_doc_case_idx_missing_episode_id, pare.mt_doc_case_idx_risk_level, pare.mt_doc_case_idx_last_activity_at,
            pare.mt_doc_case_idx_open_overdue_reminders;
        create index if not exists cases_by_worker on pare.mt_doc_case (tenant_id, assigned_worker_id)
            include (status, missing_episode_id, risk_level, open_overdue_reminders);
        create index if not exists cases_missing on pare.mt_doc_case (tenant_id) where missing_episode_id is not null;
        alter table pare.mt_doc_case set (fillfactor = 70);
        -- Events are read by stream and version or by sequence, through unique indexes, never by
        -- their body: coarse statistics plan those reads as well as fine ones, and none are needed
        -- on the body. With the defaults, every auto-analyze of this ever-growing table sampled
        -- 30,000 events and sorted their JSON, a burst of one core that stalled requests under load.
        do $$
        declare c record;
        begin
          for c in select attname, target from (
                     select attname, attstattarget, case when attname = 'data' then 0 else 10 end as target from pg_attribute
                     where attrelid = 'pare.mt_events'::regclass and attnum > 0 and not attisdropped) columns
                   where attstattarget <> target loop
            execute format('alter table pare.mt_events alter column %I set statistics %s', c.attname, c.target);
          end loop;
        end $$;
        -- Before the projections had event allow-lists, every case event wrote a default policy
        -- document under the case's id; only the cell's policy stream id is a policy.
        delete from pare.mt_doc_cellpolicy where id <> '{Domain.Policies.CellPolicy.StreamId}';
        """;

    public async Task ApplyAsync(CancellationToken cancellationToken = default)
    {
        var retention = AccessJournal.Retention(configuration);
        // Marten applies its schema through a store of its own, on the owner's connections: the
        // application's store never connects as anyone but the application role.
        await using var dataSource = NpgsqlDataSource.Create(connections.Owner);
        using var store = new DocumentStore(EventStore.Options(dataSource));
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            // Several instances may start together: one applies, the others wait for it.
            await using (var lockCommand = new NpgsqlCommand("select pg_advisory_lock(727274)", connection))
                await lockCommand.ExecuteNonQueryAsync(cancellationToken);
            try
            {
                await using (var journal = new NpgsqlCommand(AccessJournal.Schema + Search.SearchJournal.Schema + Search.CaseIndex.Schema + Photos.PhotoStore.Schema + Idempotency.Schema + Alerts.AlertOutbox.Schema + Partners.PartnerClients.Schema + Reminders.ReminderFollowUp.Schema + Staff.StaffDirectory.Schema
                    + WebConsole.Infrastructure.DataProtectionKeys.Schema, connection))
                    await journal.ExecuteNonQueryAsync(cancellationToken);
                await using (var keep = new NpgsqlCommand(AccessJournal.SetRetention, connection) { Parameters = { new() { Value = retention } } })
                    await keep.ExecuteNonQueryAsync(cancellationToken);
                await idempotentAnswers.SealLegacyAnswersAsync(connection, cancellationToken);
                PostgreSqlObjectsInstaller.Install(connection, HangfireSchema);
                await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
                await using (var after = new NpgsqlCommand(AfterMarten, connection))
                    await after.ExecuteNonQueryAsync(cancellationToken);
                if (connections.ApplicationRole is { } role)
                    await DatabaseRoles.GrantApplicationRoleAsync(connection, role, logger, cancellationToken);
                else
                    logger.LogWarning("No application role to grant: the API connects as the schema's owner (see README, Database roles)");
            }
            finally
            {
                await using var unlock = new NpgsqlCommand("select pg_advisory_unlock(727274)", connection);
                await unlock.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }
        logger.LogInformation("Database schema applied");
    }
}

/// <summary>Applies the schema before anything else starts, when configured to.</summary>
public sealed class SchemaMigrationAtStartup(SchemaMigrator migrator) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => migrator.ApplyAsync(cancellationToken);
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// Fails startup at once when the application's connection is a superuser's (see
/// <see cref="PareDatabase.CreateDataSource"/>), instead of on the first request. A database that
/// does not answer yet is no reason to stop: <c>/health/ready</c> says so until it does.
/// </summary>
public sealed class ApplicationRoleCheck(NpgsqlDataSource dataSource, ILogger<ApplicationRoleCheck> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            logger.LogWarning("The database does not answer yet: {Reason}", e.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
