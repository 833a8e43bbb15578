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
/// retries.
/// <para>
/// <b>Two lanes.</b> The prosecutor lane (alerts, escalations, found notices) and the partner lane
/// (referral webhooks) claim and send on their own, each with its own slots: partner webhooks,
/// however many and however slow, never hold a prosecutor alert. Within a lane, a claim takes the
/// rows of each cell in turn (a new alert before any retry), at most <c>PerCellConcurrency</c> of a
/// cell in flight, and at most <c>PerDestinationConcurrency</c> sends to one destination (a cell's
/// recipient, a webhook's host) at once; each send is bounded by a connect and a total timeout.
/// A destination that fails <c>CircuitThreshold</c> times in a row is opened: its messages wait
/// out its own backoff (with jitter) while the others flow; a new prosecutor alert still tries it.
/// </para>
/// <para>
/// <b>No lock across the network.</b> A claim is one statement that leases the rows to this process
/// until a database time (renewed while it sends) and commits at once; the send follows with no
/// transaction open, then one statement records the outcome. A process killed mid-send leaves its
/// rows to the others when the lease runs out. At least once, with a stable message id: exactly
/// once in effect.
/// </para>
/// <para>
/// Failed messages are retried with backoff and jitter; a partner's webhook is given up after
/// <c>PartnerWebhookRetryFor</c> (marked dead with its cause, shown in the partner's delivery log
/// and as a reminder to the head); a prosecutor alert never is — past its deadline it is escalated
/// (<see cref="AlertDeadlines"/>) and still retried.
/// </para>
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
    private static readonly string[] ProsecutorKinds = [nameof(MessageKind.Alert), nameof(MessageKind.Escalation), nameof(MessageKind.FoundNotice)];
    private static readonly string[] PartnerKinds = [nameof(MessageKind.ReferralUpdate)];

    /// <summary>This process's name on the rows it leases.</summary>
    private readonly Guid _owner = Guid.NewGuid();
    private readonly Destinations _destinations = new(options.Value, clock);
    private readonly Lane _prosecutor = new("prosecutor", ProsecutorKinds, options.Value.ProsecutorConcurrency);
    private readonly Lane _partner = new("partner", PartnerKinds, options.Value.PartnerConcurrency);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        heartbeat.Beat();
        PareMetrics.DispatcherStarted(heartbeat, () => heartbeat.Age);
        try
        {
            await Task.WhenAll(ListenAsync(stoppingToken), RunLaneAsync(_prosecutor, stoppingToken), RunLaneAsync(_partner, stoppingToken),
                RenewLeasesAsync(stoppingToken));
        }
        finally
        {
            PareMetrics.DispatcherStopped(heartbeat);
        }
    }

    /// <summary>Wakes both lanes at each notification of a commit that queued something.</summary>
    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var listener = await dataSource.OpenConnectionAsync(stoppingToken);
                listener.Notification += (_, _) =>
                {
                    _prosecutor.Wake();
                    _partner.Wake();
                };
                await using (var listen = new NpgsqlCommand($"listen {AlertOutbox.Channel}", listener))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                // Rows queued while this process was not listening: the lanes' polls find them.
                while (!stoppingToken.IsCancellationRequested) await listener.WaitAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                Quietly(e, "listening");
                await Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task RunLaneAsync(Lane lane, CancellationToken stoppingToken)
    {
        var settings = options.Value;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A send stuck beyond every timeout stops the prosecutor lane's pulse: the job server is not ready.
                if (lane == _prosecutor && lane.OldestInFlight < heartbeat.StallAfter) heartbeat.Beat();
                var free = lane.Capacity - lane.InFlight;
                if (free > 0)
                {
                    var claimed = await ClaimAsync(lane, free, lane.SaturatedCells(settings.PerCellConcurrency), stoppingToken);
                    foreach (var row in claimed) lane.Start(row, () => SendAsync(lane, row, stoppingToken));
                    if (claimed.Count == free) continue; // more may be due: claim again once a slot frees
                }
                await lane.WaitAsync(settings.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                Quietly(e, $"claiming in the {lane.Name} lane");
                await Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
        await lane.DrainAsync();
    }

    /// <summary>
    /// Leases up to <paramref name="count"/> due rows of the lane to this process, in one committed
    /// statement: each cell's rows in turn (ranked within the cell: a new alert first, then by due
    /// time), at most <c>PerCellConcurrency</c> of one cell, none of a cell already at that limit here.
    /// </summary>
    private async Task<List<OutboxRow>> ClaimAsync(Lane lane, int count, string[] saturatedCells, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var claim = dataSource.CreateCommand("""
            with candidates as (
                select alert_id, kind, channel, next_attempt_at, (kind = 'Alert' and attempts = 0) as fresh,
                       row_number() over (partition by cell_id order by (kind = 'Alert' and attempts = 0) desc, next_attempt_at) as turn
                from pare.alert_outbox
                where delivered_at is null and dead_at is null and next_attempt_at <= $1 and kind = any($2)
                  and (leased_until is null or leased_until < now()) and cell_id <> all($3)
            ), picked as (
                select o.alert_id, o.kind, o.channel from candidates c
                join pare.alert_outbox o on o.alert_id = c.alert_id and o.kind = c.kind and o.channel = c.channel
                where c.turn <= $4 and o.delivered_at is null and (o.leased_until is null or o.leased_until < now())
                order by c.fresh desc, c.turn, c.next_attempt_at
                limit $5
                for update of o skip locked
            )
            update pare.alert_outbox o set leased_by = $6, leased_until = now() + $7
            from picked p where o.alert_id = p.alert_id and o.kind = p.kind and o.channel = p.channel
            returning o.alert_id, o.kind, o.channel, o.cell_id, o.case_id, o.attempts, o.created_at
            """);
        claim.Parameters.Add(new() { Value = clock.GetUtcNow() });
        claim.Parameters.Add(new() { Value = lane.Kinds });
        claim.Parameters.Add(new() { Value = saturatedCells });
        claim.Parameters.Add(new() { Value = settings.PerCellConcurrency });
        claim.Parameters.Add(new() { Value = count });
        claim.Parameters.Add(new() { Value = _owner });
        claim.Parameters.Add(new() { Value = settings.LeaseDuration });
        var rows = new List<OutboxRow>();
        await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            rows.Add(new OutboxRow(reader.GetGuid(0), Enum.Parse<MessageKind>(reader.GetString(1)), Enum.Parse<AlertChannel>(reader.GetString(2)),
                reader.GetString(3), reader.GetGuid(4), reader.GetInt32(5), reader.GetFieldValue<DateTimeOffset>(6)));
        return rows;
    }

    /// <summary>While this process sends, its leases are renewed; killed, it stops renewing and the rows go back.</summary>
    private async Task RenewLeasesAsync(CancellationToken stoppingToken)
    {
        var lease = options.Value.LeaseDuration;
        while (!stoppingToken.IsCancellationRequested)
        {
            await Delay(lease / 3, stoppingToken);
            if (_prosecutor.InFlight + _partner.InFlight == 0) continue;
            try
            {
                await using var renew = dataSource.CreateCommand(
                    "update pare.alert_outbox set leased_until = now() + $2 where leased_by = $1 and delivered_at is null");
                renew.Parameters.Add(new() { Value = _owner });
                renew.Parameters.Add(new() { Value = lease });
                await renew.ExecuteNonQueryAsync(stoppingToken);
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                Quietly(e, "renewing leases");
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Sends one leased row, records the outcome on the case, then on the row.</summary>
    private async Task SendAsync(Lane lane, OutboxRow row, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        string? error = null;
        Destination? destination = null;
        var held = false;
        try
        {
            try
            {
                Func<CancellationToken, Task>? send = null;
                if (row.Kind == MessageKind.ReferralUpdate)
                {
                    var update = await referralWebhooks.ComposeAsync(row.CellId, row.CaseId, row.AlertId, cancellationToken);
                    destination = _destinations.For($"{row.CellId} webhook {update.Url.GetLeftPart(UriPartial.Authority)}");
                    send = token => webhooks.SendAsync(update.Url, update.Secret, row.AlertId, null, update.Json, token);
                }
                else
                {
                    // Known before composing: an alert is not composed (its photo read) to wait behind a closed door.
                    destination = _destinations.For($"{row.CellId} {row.Channel} {(row.Kind == MessageKind.Escalation ? "head" : "prosecutor")}");
                }

                // An open circuit: wait out the destination's own backoff, without spending an attempt.
                // A new prosecutor alert tries all the same: it is the probe, never held back.
                if (destination.OpenUntil is { } openUntil && !(row.Kind == MessageKind.Alert && row.Attempts == 0))
                {
                    await DeferAsync(row, openUntil, $"circuit open: {destination.LastCause}");
                    return;
                }
                await destination.Slots.WaitAsync(cancellationToken);
                held = true;
                if (destination.OpenUntil is { } reopened && !(row.Kind == MessageKind.Alert && row.Attempts == 0))
                {
                    await DeferAsync(row, reopened, $"circuit open: {destination.LastCause}");
                    return;
                }

                if (send is null)
                {
                    var message = await messages.ComposeAsync(row.CellId, row.CaseId, row.AlertId, row.Kind, cancellationToken);
                    if (row.Channel == AlertChannel.Email)
                    {
                        var email = message.Email ?? throw new DeliveryException("no recipient configured");
                        send = token => smtp.SendAsync(email, token);
                    }
                    else
                    {
                        if (message.Routing.WebhookUrl is not { } url || message.Routing.WebhookSecret is not { } secret) throw new DeliveryException("no webhook configured");
                        send = token => webhooks.SendAsync(new Uri(url), secret, message.MessageId, row.AlertId, message.WebhookJson, token);
                    }
                }
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(settings.SendTimeout);
                await send(timeout.Token);
                destination.Succeeded();
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                error = Cause(e);
                destination?.Failed(error);
                logger.LogWarning("Delivery of {Kind} {AlertId} by {Channel} failed (attempt {Attempt}): {Cause}", row.Kind, row.AlertId, row.Channel, row.Attempts + 1, error);
            }
            finally
            {
                if (held) destination!.Slots.Release();
            }

            try
            {
                await RecordOnCaseAsync(row, error, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The message went (or failed) all the same: the outbox keeps that outcome, whatever the case's record.
                logger.LogWarning("Recording the outcome of {Kind} {AlertId} on case {CaseId} failed: {Cause}", row.Kind, row.AlertId, row.CaseId, Cause(e));
            }
            await RecordAsync(row, error);
            if (error is null) logger.LogInformation("Delivered {Kind} {AlertId} by {Channel} for case {CaseId}", row.Kind, row.AlertId, row.Channel, row.CaseId);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The row stays leased until its lease runs out, then is claimed again.
            Quietly(e, $"recording {row.Kind} {row.AlertId}");
        }
    }

    /// <summary>One statement, no transaction: delivered, or the next attempt (or the end, for a partner's webhook).</summary>
    private async Task RecordAsync(OutboxRow row, string? error)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow();
        var dead = error is not null && row.Kind == MessageKind.ReferralUpdate && now - row.CreatedAt >= settings.PartnerWebhookRetryFor;
        await using var update = dataSource.CreateCommand(error is null
            ? """
              update pare.alert_outbox set delivered_at = $4, attempts = attempts + 1, last_error = null, leased_by = null, leased_until = null
              where alert_id = $1 and kind = $2 and channel = $3
              """
            : """
              update pare.alert_outbox set next_attempt_at = $4, attempts = attempts + 1, last_error = $5, leased_by = null, leased_until = null,
                     dead_at = case when $6 then $7 end
              where alert_id = $1 and kind = $2 and channel = $3 and leased_by = $8 and delivered_at is null
              """);
        update.Parameters.Add(new() { Value = row.AlertId });
        update.Parameters.Add(new() { Value = row.Kind.ToString() });
        update.Parameters.Add(new() { Value = row.Channel.ToString() });
        update.Parameters.Add(new() { Value = error is null ? now : now + Jittered(Backoff(row.Attempts + 1)) });
        if (error is not null)
        {
            var attempts = row.Attempts + 1;
            update.Parameters.Add(new() { Value = dead ? $"gave up after {attempts} attempts over {settings.PartnerWebhookRetryFor.TotalHours:0.#} h: {error}" : error });
            update.Parameters.Add(new() { Value = dead });
            update.Parameters.Add(new() { Value = now });
            update.Parameters.Add(new() { Value = _owner });
        }
        await update.ExecuteNonQueryAsync(CancellationToken.None);
        if (dead)
            logger.LogWarning("Gave up {Kind} {AlertId} of cell {CellId} after {Attempts} attempts: {Cause}", row.Kind, row.AlertId, row.CellId, row.Attempts + 1, error);
    }

    /// <summary>Gives the row back, due when its destination's circuit lets a message through again; no attempt spent.</summary>
    private async Task DeferAsync(OutboxRow row, DateTimeOffset until, string cause)
    {
        await using var update = dataSource.CreateCommand("""
            update pare.alert_outbox set next_attempt_at = $4, last_error = $5, leased_by = null, leased_until = null
            where alert_id = $1 and kind = $2 and channel = $3 and leased_by = $6 and delivered_at is null
            """);
        update.Parameters.Add(new() { Value = row.AlertId });
        update.Parameters.Add(new() { Value = row.Kind.ToString() });
        update.Parameters.Add(new() { Value = row.Channel.ToString() });
        update.Parameters.Add(new() { Value = until + Jittered(TimeSpan.FromSeconds(1)) });
        update.Parameters.Add(new() { Value = cause });
        update.Parameters.Add(new() { Value = _owner });
        await update.ExecuteNonQueryAsync(CancellationToken.None);
    }

    private async Task RecordOnCaseAsync(OutboxRow row, string? error, CancellationToken cancellationToken)
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
            catch (RefusedException refused) when (refused.Refusal == Domain.Cases.CaseRefusals.ConcurrentChange && attempt < 5)
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

    /// <summary>±20 %: the retries of many messages that failed together do not come back together.</summary>
    internal static TimeSpan Jittered(TimeSpan delay) => delay * (0.8 + 0.4 * Random.Shared.NextDouble());

    /// <summary>A short technical cause for events and logs: never the message content.</summary>
    private static string Cause(Exception e) => e switch
    {
        DeliveryException d => d.Message,
        MailKit.Net.Smtp.SmtpCommandException smtp => $"smtp {(int)smtp.StatusCode}",
        MailKit.Net.Smtp.SmtpProtocolException => "smtp protocol error",
        System.Net.Sockets.SocketException socket => $"socket {socket.SocketErrorCode}",
        HttpRequestException => Infrastructure.Http.OutboundFailures.ConnectionFailed,
        OperationCanceledException or TimeoutException => "timeout",
        IOException => "connection lost",
        _ => e.GetType().Name,
    };

    /// <summary>The database away is an outage (a warning, no stack trace); anything else is an error.</summary>
    private void Quietly(Exception e, string what)
    {
        if (Infrastructure.Database.DatabaseOutage.Is(e)) logger.LogWarning("Alert dispatcher: database unavailable while {What} ({Error}); resuming", what, e.GetType().Name);
        else logger.LogError(e, "Alert dispatcher interrupted while {What}; resuming", what);
    }

    private static async Task Delay(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private sealed record OutboxRow(Guid AlertId, MessageKind Kind, AlertChannel Channel, string CellId, Guid CaseId, int Attempts, DateTimeOffset CreatedAt);

    /// <summary>A lane's slots and what is in flight in it, by cell; woken by notifications and by freed slots.</summary>
    private sealed class Lane(string name, string[] kinds, int capacity)
    {
        private readonly Lock _gate = new();
        private readonly Dictionary<string, int> _byCell = [];
        private readonly Dictionary<Task, long> _sends = [];
        private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Name { get; } = name;
        public string[] Kinds { get; } = kinds;
        public int Capacity { get; } = Math.Max(1, capacity);

        public int InFlight
        {
            get { lock (_gate) return _sends.Count; }
        }

        public TimeSpan OldestInFlight
        {
            get
            {
                lock (_gate)
                    return _sends.Count == 0 ? TimeSpan.Zero : System.Diagnostics.Stopwatch.GetElapsedTime(_sends.Values.Min());
            }
        }

        public string[] SaturatedCells(int perCell)
        {
            lock (_gate) return [.. _byCell.Where(c => c.Value >= perCell).Select(c => c.Key)];
        }

        public void Start(OutboxRow row, Func<Task> send)
        {
            lock (_gate) _byCell[row.CellId] = _byCell.GetValueOrDefault(row.CellId) + 1;
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var task = Task.Run(send);
            lock (_gate) _sends[task] = started;
            task.ContinueWith(done =>
            {
                lock (_gate)
                {
                    _sends.Remove(done);
                    if (--_byCell[row.CellId] == 0) _byCell.Remove(row.CellId);
                }
                Wake();
            }, TaskScheduler.Default);
        }

        public void Wake() => _wake.TrySetResult();

        public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
        {
            var wake = _wake;
            await Task.WhenAny(wake.Task, Task.Delay(timeout, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
            Interlocked.CompareExchange(ref _wake, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), wake);
        }

        public async Task DrainAsync()
        {
            Task[] sends;
            lock (_gate) sends = [.. _sends.Keys];
            await Task.WhenAll(sends).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}

/// <summary>
/// Per destination, in this process: its send slots and its circuit. Closed, every message is
/// tried; after <c>CircuitThreshold</c> failures in a row it opens for <c>CircuitOpenFor</c>,
/// doubled at each reopening up to 5 minutes, with jitter; the first message after that is the
/// trial: a success closes it, a failure opens it again for longer.
/// </summary>
internal sealed class Destinations(AlertSettings settings, TimeProvider clock)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Destination> _all = new();

    public Destination For(string key) => _all.GetOrAdd(key, _ => new Destination(settings, clock));
}

internal sealed class Destination(AlertSettings settings, TimeProvider clock)
{
    private readonly Lock _gate = new();
    private int _failures;
    private int _opened;
    private DateTimeOffset? _openUntil;

    public SemaphoreSlim Slots { get; } = new(Math.Max(1, settings.PerDestinationConcurrency));

    public string LastCause { get; private set; } = "";

    /// <summary>Until when the circuit is open; null when a message may be tried.</summary>
    public DateTimeOffset? OpenUntil
    {
        get { lock (_gate) return _openUntil > clock.GetUtcNow() ? _openUntil : null; }
    }

    public void Succeeded()
    {
        lock (_gate)
        {
            _failures = 0;
            _opened = 0;
            _openUntil = null;
        }
    }

    public void Failed(string cause)
    {
        lock (_gate)
        {
            LastCause = cause;
            if (++_failures < settings.CircuitThreshold) return;
            var wait = settings.CircuitOpenFor * Math.Pow(2, Math.Min(_opened, 10));
            if (wait > TimeSpan.FromMinutes(5)) wait = TimeSpan.FromMinutes(5);
            _opened++;
            _failures = settings.CircuitThreshold - 1; // the trial's failure reopens it at once
            _openUntil = clock.GetUtcNow() + AlertDispatcher.Jittered(wait);
        }
    }
}

public sealed class DeliveryException(string cause) : Exception(cause);
