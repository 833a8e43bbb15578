using Marten;
using Microsoft.Extensions.Options;
using Npgsql;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Infrastructure.Telemetry;
using Pare.Cell.Domain.Alerts;
using Pare.Cell.Domain.Common;

namespace Pare.Cell.Api.Alerts;

/// <summary>
/// Delivers what <see cref="AlertOutbox"/> holds, in the job-server role. Woken by LISTEN/NOTIFY
/// the moment a report commits (any process may have committed it), and by a short poll for
/// retries. Rows are claimed with <c>FOR UPDATE SKIP LOCKED</c>: several job servers share the
/// work and never send the same row at once; the lock dies with a killed process, so its rows
/// are picked up again. At least once, with a stable Message-ID: exactly once in effect.
/// </summary>
public sealed class AlertDispatcher(
    NpgsqlDataSource dataSource,
    IDocumentStore store,
    AlertMessages messages,
    Referrals.ReferralWebhooks referralWebhooks,
    SmtpAlertSender smtp,
    WebhookSender webhooks,
    CaseWriter cases,
    TimeProvider clock,
    IOptions<AlertSettings> options,
    DispatcherHeartbeat heartbeat,
    ILogger<AlertDispatcher> logger) : BackgroundService
{
    private const int BatchSize = 16;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        heartbeat.Beat();
        PareMetrics.DispatcherStarted(heartbeat, () => heartbeat.Age);
        try
        {
            await RunAsync(stoppingToken);
        }
        finally
        {
            PareMetrics.DispatcherStopped(heartbeat);
        }
    }

    private async Task RunAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var listener = await dataSource.OpenConnectionAsync(stoppingToken);
                await using (var listen = new NpgsqlCommand($"listen {AlertOutbox.Channel}", listener))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                while (!stoppingToken.IsCancellationRequested)
                {
                    heartbeat.Beat();
                    while (await DispatchDueAsync(stoppingToken) > 0) heartbeat.Beat();
                    await listener.WaitAsync(options.Value.PollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (Infrastructure.Database.DatabaseOutage.Is(e))
            {
                logger.LogWarning("Alert dispatcher: database unavailable ({Error}); resuming in a second", e.GetType().Name);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Alert dispatcher interrupted; resuming");
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    /// <summary>Claims due rows, sends them concurrently, records the outcomes. Returns how many were handled.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var due = new List<OutboxRow>();
        // A prosecutor alert's first attempt first: a backlog of failing webhooks or notices never delays a new
        // alert; retries of every kind then take their turn by due time, so none starves another.
        await using (var claim = new NpgsqlCommand("""
            select alert_id, kind, channel, cell_id, case_id, attempts from pare.alert_outbox
            where delivered_at is null and next_attempt_at <= $1
            order by (kind = 'Alert' and attempts = 0) desc, next_attempt_at limit $2
            for update skip locked
            """, connection, transaction))
        {
            claim.Parameters.Add(new() { Value = now });
            claim.Parameters.Add(new() { Value = BatchSize });
            await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                due.Add(new OutboxRow(reader.GetGuid(0), Enum.Parse<MessageKind>(reader.GetString(1)), Enum.Parse<AlertChannel>(reader.GetString(2)),
                    reader.GetString(3), reader.GetGuid(4), reader.GetInt32(5)));
        }
        if (due.Count == 0) return 0; // most polls: no locks held, nothing more to say to the database

        // The claim's row locks hide these rows from the other job servers until this transaction
        // ends: a server cut off from the database (a partition, a paused VM) must not keep them for
        // the hours TCP keepalive would take. Sending (bounded by SendTimeout) and recording take seconds;
        // the limit leaves three send timeouts of room.
        var idleLimit = (int)Math.Max(60, 3 * options.Value.SendTimeout.TotalSeconds + 30);
        await using (var limit = new NpgsqlCommand($"set local idle_in_transaction_session_timeout = '{idleLimit}s'", connection, transaction))
            await limit.ExecuteNonQueryAsync(cancellationToken);

        var outcomes = await Task.WhenAll(due.Select(row => SendAsync(row, cancellationToken)));
        foreach (var (row, error) in due.Zip(outcomes))
        {
            await using var update = new NpgsqlCommand(error is null
                ? "update pare.alert_outbox set delivered_at = $4, attempts = attempts + 1, last_error = null where alert_id = $1 and kind = $2 and channel = $3"
                : "update pare.alert_outbox set next_attempt_at = $4, attempts = attempts + 1, last_error = $5 where alert_id = $1 and kind = $2 and channel = $3",
                connection, transaction);
            update.Parameters.Add(new() { Value = row.AlertId });
            update.Parameters.Add(new() { Value = row.Kind.ToString() });
            update.Parameters.Add(new() { Value = row.Channel.ToString() });
            update.Parameters.Add(new() { Value = error is null ? clock.GetUtcNow() : clock.GetUtcNow() + Backoff(row.Attempts + 1) });
            if (error is not null) update.Parameters.Add(new() { Value = error });
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return due.Count;
    }

    /// <summary>Sends one message and records the outcome on the case. Returns null on success, else a short cause.</summary>
    private async Task<string?> SendAsync(OutboxRow row, CancellationToken cancellationToken)
    {
        string? error = null;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.Value.SendTimeout);
            if (row.Kind == MessageKind.ReferralUpdate)
            {
                var update = await referralWebhooks.ComposeAsync(row.CellId, row.CaseId, row.AlertId, cancellationToken);
                await webhooks.SendAsync(update.Url, update.Secret, row.AlertId, null, update.Json, timeout.Token);
                return null;
            }
            var message = await messages.ComposeAsync(row.CellId, row.CaseId, row.AlertId, row.Kind, cancellationToken);
            if (row.Channel == AlertChannel.Email)
            {
                if (message.Email is null) throw new DeliveryException("no recipient configured");
                await smtp.SendAsync(message.Email, timeout.Token);
            }
            else
            {
                if (message.Routing.WebhookUrl is not { } url || message.Routing.WebhookSecret is not { } secret) throw new DeliveryException("no webhook configured");
                await webhooks.SendAsync(new Uri(url), secret, message.MessageId, row.AlertId, message.WebhookJson, timeout.Token);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            error = Cause(e);
            logger.LogWarning("Delivery of {Kind} {AlertId} by {Channel} failed (attempt {Attempt}): {Cause}", row.Kind, row.AlertId, row.Channel, row.Attempts + 1, error);
        }

        try
        {
            await RecordAsync(row, error, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The message went (or failed) all the same: the outbox keeps that outcome, whatever the case's record.
            logger.LogWarning("Recording the outcome of {Kind} {AlertId} on case {CaseId} failed: {Cause}", row.Kind, row.AlertId, row.CaseId, Cause(e));
        }
        if (error is null) logger.LogInformation("Delivered {Kind} {AlertId} by {Channel} for case {CaseId}", row.Kind, row.AlertId, row.Channel, row.CaseId);
        return error;
    }

    private async Task RecordAsync(OutboxRow row, string? error, CancellationToken cancellationToken)
    {
        Func<Actor, DateTimeOffset, Domain.Cases.CaseCommand>? command = (row.Kind, error) switch
        {
            (MessageKind.Alert, null) => (by, now) => new RecordAlertDelivery(row.AlertId, row.Channel, row.Attempts + 1, by, now),
            // Every failure is retried; the first ten and every tenth after are recorded on the case.
            (MessageKind.Alert, { } cause) when row.Attempts < 10 || (row.Attempts + 1) % 10 == 0 => (by, now) => new RecordAlertFailure(row.AlertId, row.Channel, row.Attempts + 1, cause, by, now),
            (MessageKind.FoundNotice, null) when row.Channel == AlertChannel.Email => (by, now) => new RecordFoundNotice(row.AlertId, by, now),
            _ => null,
        };
        if (command is null) return;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var session = store.LightweightSession(row.CellId);
                await cases.DecideAsync(session, Actor.System, row.CaseId, null, command, cancellationToken);
                return;
            }
            catch (Pare.Cell.Domain.Common.RefusedException refused) when (refused.Refusal == Domain.Cases.CaseRefusals.ConcurrentChange && attempt < 5)
            {
                // A worker wrote to the case at the same moment: read it again and record.
            }
        }
    }

    private static TimeSpan Backoff(int attempts) => attempts switch
    {
        1 => TimeSpan.FromSeconds(2),
        2 => TimeSpan.FromSeconds(5),
        3 => TimeSpan.FromSeconds(15),
        4 => TimeSpan.FromSeconds(30),
        5 => TimeSpan.FromMinutes(1),
        _ => TimeSpan.FromMinutes(2),
    };

    /// <summary>A short technical cause for events and logs: never the message content.</summary>
    private static string Cause(Exception e) => e switch
    {
        DeliveryException d => d.Message,
        MailKit.Net.Smtp.SmtpCommandException smtp => $"smtp {(int)smtp.StatusCode}",
        MailKit.Net.Smtp.SmtpProtocolException => "smtp protocol error",
        System.Net.Sockets.SocketException socket => $"socket {socket.SocketErrorCode}",
        HttpRequestException => Infrastructure.Http.OutboundFailures.ConnectionFailed,
        OperationCanceledException => "timeout",
        IOException => "connection lost",
        _ => e.GetType().Name,
    };

    private sealed record OutboxRow(Guid AlertId, MessageKind Kind, AlertChannel Channel, string CellId, Guid CaseId, int Attempts);
}

public sealed class DeliveryException(string cause) : Exception(cause);
