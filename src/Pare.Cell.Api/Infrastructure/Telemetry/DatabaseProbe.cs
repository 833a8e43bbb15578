using Npgsql;

namespace Pare.Cell.Api.Infrastructure.Telemetry;

/// <summary>
/// Every 10 s (<c>Telemetry:DatabaseProbeInterval</c>), in every process: does PostgreSQL answer <c>select 1</c> within 3 s? Published as
/// <c>pare.database.up</c> (1 or 0), which the <c>PareDatabaseDown</c> alarm watches: a scrape must
/// never wait on the database, so the gauge reads the last probe.
/// </summary>
public sealed class DatabaseProbe(NpgsqlDataSource dataSource, IConfiguration configuration, ILogger<DatabaseProbe> logger) : BackgroundService
{
    private readonly TimeSpan Interval = configuration.GetValue("Telemetry:DatabaseProbeInterval", TimeSpan.FromSeconds(10));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var wasUp = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            var up = await AnswersAsync(stoppingToken);
            PareMetrics.DatabaseAnswered(this, up);
            if (up != wasUp) logger.Log(up ? LogLevel.Information : LogLevel.Warning, "PostgreSQL {State}", up ? "answers again" : "does not answer");
            wasUp = up;
            try
            {
                await Task.Delay(Interval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        PareMetrics.DatabaseProbeStopped(this);
    }

    private async Task<bool> AnswersAsync(CancellationToken stoppingToken)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            await using var command = dataSource.CreateCommand("select 1");
            await command.ExecuteScalarAsync(timeout.Token);
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException or InvalidOperationException)
        {
            return false;
        }
    }
}
