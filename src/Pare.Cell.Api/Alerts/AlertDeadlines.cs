using Marten;
using Npgsql;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Infrastructure.Jobs;
using Pare.Cell.Api.Policies;
using Pare.Cell.Domain.Alerts;

namespace Pare.Cell.Api.Alerts;

/// <summary>
/// A recurring job (each minute, whatever reads or writes happen): an alert still undelivered
/// past the cell's delivery deadline is escalated to the service head; a delivered alert not
/// acknowledged past the acknowledgement deadline is flagged for the head's reminders. Time comes
/// from <see cref="TimeProvider"/>. Deciding twice is harmless: the decider records each fact once.
/// </summary>
public sealed class AlertDeadlines(NpgsqlDataSource dataSource, IDocumentStore store, CaseWriter cases, TimeProvider clock, ILogger<AlertDeadlines> logger)
{
    public const string JobId = "alert-deadlines";

    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var candidates = new List<(Guid AlertId, string CellId, Guid CaseId, DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt)>();
        await using (var query = dataSource.CreateCommand("""
            select alert_id, cell_id, case_id, created_at, delivered_at from pare.alert_outbox
            where kind = 'Alert' and channel = 'Email' and followed_up = false and created_at <= $1
            """))
        {
            query.Parameters.Add(new() { Value = now.AddMinutes(-1) });
            await using var reader = await query.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                candidates.Add((reader.GetGuid(0), reader.GetString(1), reader.GetGuid(2), reader.GetFieldValue<DateTimeOffset>(3),
                    reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4)));
        }

        var each = new CaseByCase(logger, JobId);
        foreach (var cell in candidates.GroupBy(c => c.CellId))
        {
            await using var session = store.LightweightSession(cell.Key);
            var routing = (await CellPolicies.LoadAsync(session, cancellationToken)).Routing;
            // Which sent alerts the case already knows as delivered (the head's view, written with the case's events):
            // one read per cell, instead of loading every such case each minute until its acknowledgement deadline.
            var sent = cell.Where(a => a.DeliveredAt is not null).Select(a => a.AlertId).ToArray();
            var recorded = sent.Length == 0 ? [] : (await session.LoadManyAsync<AlertView>(cancellationToken, sent))
                .Where(v => v.DeliveredAt is not null).Select(v => v.Id).ToHashSet();
            foreach (var alert in cell)
                await each.RunAsync(alert.CaseId, async () =>
                {
                    // Sent: recorded on the case if the dispatcher could not (it logs why), late rather than never, or the
                    // head's list would show it pending and its acknowledgement reminder never come.
                    if (alert.DeliveredAt is not null && !recorded.Contains(alert.AlertId))
                        await cases.DecideAsSystemAsync(cell.Key, alert.CaseId, (by, t) => new RecordAlertDelivery(alert.AlertId, AlertChannel.Email, 1, by, t), cancellationToken);
                    if (alert.DeliveredAt is null && alert.CreatedAt.AddMinutes(routing.DeliveryDeadlineMinutes) <= now
                        && await cases.DecideAsSystemAsync(cell.Key, alert.CaseId, (by, t) => new EscalateAlert(alert.AlertId, by, t), cancellationToken) is { Count: > 0 })
                        logger.LogWarning("Alert {AlertId} of case {CaseId} not delivered in {Minutes} min: escalated", alert.AlertId, alert.CaseId, routing.DeliveryDeadlineMinutes);
                    if (alert.DeliveredAt is { } delivered && delivered.AddMinutes(routing.AcknowledgementDeadlineMinutes) <= now)
                    {
                        // Refused (a colleague writing at that moment, three times): looked at again next minute.
                        // Nothing to record (already flagged or acknowledged) settles it as well as a flag written.
                        if (await cases.DecideAsSystemAsync(cell.Key, alert.CaseId, (by, t) => new FlagAlertUnacknowledged(alert.AlertId, by, t), cancellationToken) is not null)
                            await MarkFollowedUpAsync(alert.AlertId, cancellationToken);
                    }
                }, cancellationToken);
        }
        each.ThrowIfAnyFailed();
    }

    /// <summary>Both deadlines are behind this alert: the job need not look at it again.</summary>
    private async Task MarkFollowedUpAsync(Guid alertId, CancellationToken cancellationToken)
    {
        await using var update = dataSource.CreateCommand("update pare.alert_outbox set followed_up = true where alert_id = $1 and kind = 'Alert'");
        update.Parameters.Add(new() { Value = alertId });
        await update.ExecuteNonQueryAsync(cancellationToken);
    }
}
