using JasperFx;
using Marten;
using Marten.Services;
using Npgsql;

namespace Pare.Cell.Api.Infrastructure.Logging;

/// <summary>
/// Marten's failures, logged by what they mean. Marten's own logger writes every failed command at
/// error level with its SQL and its parameters: an optimistic-concurrency conflict between the alert
/// dispatcher's records and a worker's write — retried, harmless — filled the job server's log with
/// errors (157 in 100 s), each carrying the events' bodies (a minor's data) as parameters. Here:
/// a conflict is debug (its caller retries, or answers 409/412), an outage is debug (its caller logs
/// the warning and answers 503 or retries), anything else a warning with its type and SQLSTATE
/// (its caller logs the error it becomes) — never the SQL's parameters.
/// </summary>
public sealed class MartenLogs(ILogger<IDocumentStore> logger) : IMartenLogger, IMartenSessionLogger
{
    public IMartenSessionLogger StartSession(IQuerySession session) => this;

    public void SchemaChange(string sql) => logger.LogDebug("Marten applied a schema change");

    public void LogSuccess(NpgsqlCommand command) { }
    public void LogSuccess(NpgsqlBatch batch) { }
    public void LogFailure(NpgsqlCommand command, Exception ex) => Failure(ex);
    public void LogFailure(NpgsqlBatch batch, Exception ex) => Failure(ex);
    public void LogFailure(Exception ex, string message) => Failure(ex);
    public void RecordSavedChanges(IDocumentSession session, IChangeSet commit) { }
    public void OnBeforeExecute(NpgsqlCommand command) { }
    public void OnBeforeExecute(NpgsqlBatch batch) { }

    private void Failure(Exception ex)
    {
        if (IsConcurrencyConflict(ex))
            logger.LogDebug("Optimistic concurrency conflict ({Error}): the writer decides again or answers 409/412", ex.GetType().Name);
        else if (Database.DatabaseOutage.Is(ex))
            logger.LogDebug("Database unavailable during a Marten command ({Error})", ex.GetType().Name);
        else
            logger.LogWarning("A Marten command failed ({Error}, SQLSTATE {SqlState})", ex.GetType().Name, SqlState(ex) ?? "none");
    }

    public static bool IsConcurrencyConflict(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is ConcurrencyException or Marten.Exceptions.ExistingStreamIdCollisionException or Marten.Exceptions.ConcurrentUpdateException) return true;
            // Two appends to one stream at once: the second hits the events' (stream, version) key.
            if (e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, TableName: "mt_events" or "mt_streams" }) return true;
        }
        return false;
    }

    private static string? SqlState(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is PostgresException postgres) return postgres.SqlState;
        return null;
    }
}
