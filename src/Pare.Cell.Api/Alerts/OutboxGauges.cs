using Npgsql;
using Pare.Cell.Api.Infrastructure.Telemetry;

namespace Pare.Cell.Api.Alerts;

/// <summary>
/// In the job-server role, every 10 s: how many outbox rows wait per lane (kind, channel), and how
/// old the oldest undelivered prosecutor alert is. Published as <c>pare.outbox.depth</c> and
/// <c>pare.outbox.oldest_undelivered_alert.age</c> (the <c>PareAlertUndelivered</c> alarm: over 2 min).
/// Sampled, so that a scrape never waits on the database; one indexed query over undelivered rows.
/// </summary>
public sealed class OutboxGauges(NpgsqlDataSource dataSource, TimeProvider clock, IConfiguration configuration, ILogger<OutboxGauges> logger) : BackgroundService
{
    private readonly TimeSpan _interval = configuration.GetValue("Telemetry:OutboxSampleInterval", TimeSpan.FromSeconds(10));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                PareMetrics.OutboxSampled(await SampleAsync(stoppingToken));
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                // The last sample stays; the database alarm tells the rest.
                logger.LogDebug("Outbox sample failed: {Error}", e.GetType().Name);
            }
            try
            {
                await Task.Delay(_interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async Task<OutboxSample> SampleAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var lanes = new List<OutboxLane>();
        var oldestAlert = 0d;
        await using var command = dataSource.CreateCommand("""
            select kind, channel, count(*), min(created_at) from pare.alert_outbox
            where delivered_at is null and dead_at is null group by kind, channel
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var lane = new OutboxLane(reader.GetString(0), reader.GetString(1), reader.GetInt64(2));
            lanes.Add(lane);
            if (lane.Kind == nameof(MessageKind.Alert))
                oldestAlert = Math.Max(oldestAlert, (now - reader.GetFieldValue<DateTimeOffset>(3)).TotalSeconds);
        }
        return new OutboxSample(lanes, Math.Max(0, oldestAlert));
    }
}
