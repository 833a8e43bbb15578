using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Foundation;

/// <summary>
/// Left to Hangfire's registration, a host's job storage is read back from a process-wide static
/// (JobStorage.Current) that every host's configuration sets: two hosts starting together could
/// each get the other's, and register and run their jobs in the wrong database (the suite runs
/// several hosts in one process). Without the host's own storage, this failed 3 runs in 4.
/// </summary>
public sealed class JobStorageIsolationTests
{
    [Fact]
    public async Task Each_host_registers_its_recurring_jobs_in_its_own_database()
    {
        await using var first = new AlertingApp();
        await using var second = new AlertingApp();
        // Started together, as the suite's fixtures are: each configures Hangfire at the same time.
        await Task.WhenAll(Task.Run(first.InitializeAsync), Task.Run(second.InitializeAsync));

        foreach (var app in new[] { first, second })
        {
            // Registered in the background once the host has started: a few moments at most.
            const string cron = "select count(*) from hangfire.hash where key = 'recurring-job:open-episode-review' and field = 'Cron'";
            for (var i = 0; i < 100 && await app.ScalarAsync(cron) == 0; i++) await Task.Delay(100);
            (await app.ScalarAsync(cron)).ShouldBe(1);
            // And its job server announces itself there, so it is the one running these jobs.
            for (var i = 0; i < 100 && await app.ScalarAsync("select count(*) from hangfire.server") == 0; i++) await Task.Delay(100);
            (await app.ScalarAsync("select count(*) from hangfire.server")).ShouldBe(1);
        }
    }
}
