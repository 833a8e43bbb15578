using System.Net;
using Pare.Cell.Api.Tests.Alerts;
using Pare.Cell.Api.Tests.Cases;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Reliability;

/// <summary>The API in this process; two job servers as separate OS processes on the same database.</summary>
public sealed class TwoJobServersFixture : PareApp
{
    public SmtpSink Smtp { get; } = new();
    public JobServerProcess First { get; private set; } = null!;
    public JobServerProcess Second { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        First = new JobServerProcess(ConnectionString, Smtp.Port);
        Second = new JobServerProcess(ConnectionString, Smtp.Port);
        await Task.WhenAll(First.StartAsync(), Second.StartAsync());
    }

    public override async ValueTask DisposeAsync()
    {
        await First.DisposeAsync();
        await Second.DisposeAsync();
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

/// <summary>
/// Two job servers share the outbox: each alert is sent by one of them (rows claimed with SKIP
/// LOCKED), never by both; with one of them killed, the other goes on alerting.
/// </summary>
public sealed class TwoJobServersTests(TwoJobServersFixture app) : IClassFixture<TwoJobServersFixture>
{
    [Fact]
    public async Task Two_job_servers_send_each_alert_once_and_one_survives_the_other_s_death()
    {
        var cell = $"two-{Guid.NewGuid():N}"[..14];
        await app.ConfigureCellAsync(cell, AlertScenarios.Criteria(young: true));

        var firstWave = new List<Guid>();
        for (var i = 0; i < 8; i++) firstWave.Add(await ReportWorryingAsync(cell));
        await WaitForAsync(firstWave);
        // Killed mid-batch, a sender may legitimately resend (same id); here the batch is done first.
        for (var i = 0; i < 300 && await app.ScalarAsync("select count(*) from pare.alert_outbox where cell_id = $1 and delivered_at is null", cell) > 0; i++)
            await Task.Delay(50);

        await app.First.KillAsync();
        var secondWave = new List<Guid>();
        for (var i = 0; i < 4; i++) secondWave.Add(await ReportWorryingAsync(cell));
        await WaitForAsync(secondWave);

        var counts = app.Smtp.Messages.Where(m => m.Headers["X-Pare-Message-Kind"] == "alert")
            .GroupBy(m => Guid.Parse(m.Headers["X-Pare-Alert-Id"]!)).ToDictionary(g => g.Key, g => g.Count());
        foreach (var id in firstWave.Concat(secondWave)) counts[id].ShouldBe(1);
    }

    [Fact]
    public async Task A_job_server_starting_over_a_lock_left_by_a_killed_one_starts_at_once_and_registers_its_jobs_once_the_lock_is_gone()
    {
        // What a job server SIGKILLed while registering or triggering a recurring job leaves: its
        // lock row (Hangfire removes it only once stale). Here that job's registration is gone too,
        // so that registering it again can be seen.
        const string cron = "select count(*) from hangfire.hash where key = 'recurring-job:open-episode-review' and field = 'Cron'";
        await app.ScalarAsync("with gone as (delete from hangfire.hash where key = 'recurring-job:open-episode-review' returning 1) select count(*) from gone");
        await app.ScalarAsync("with held as (insert into hangfire.lock (resource, updatecount, acquired) values ('hangfire:lock:recurring-job:open-episode-review', 0, now()) returning 1) select count(*) from held");

        await using var restarted = new JobServerProcess(app.ConnectionString, app.Smtp.Port);
        await restarted.StartAsync(); // ready: it did not wait for the lock, nor fail for it
        await Task.Delay(TimeSpan.FromSeconds(3));
        (await app.ScalarAsync(cron)).ShouldBe(0); // still held: not registered yet

        await app.ScalarAsync("with released as (delete from hangfire.lock where resource = 'hangfire:lock:recurring-job:open-episode-review' returning 1) select count(*) from released");
        for (var i = 0; i < 200 && await app.ScalarAsync(cron) == 0; i++) await Task.Delay(100);
        (await app.ScalarAsync(cron)).ShouldBe(1);
    }

    private async Task<Guid> ReportWorryingAsync(string cell)
    {
        var worker = app.Worker(cell);
        var opened = await worker.OpenCaseAsync(CaseRequests.NewCase("Alix", dateOfBirth: "2013-02-02"));
        (await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/episodes", Requests.Runaway(app.Clock.GetUtcNow().AddHours(-1)))).StatusCode.ShouldBe(HttpStatusCode.Created);
        return await app.ScalarGuidAsync("select alert_id from pare.alert_outbox where case_id = $1 and kind = 'Alert'", opened.Id);
    }

    private async Task WaitForAsync(IEnumerable<Guid> alertIds)
    {
        var wanted = alertIds.Select(id => id.ToString()).ToList();
        var deadline = DateTime.UtcNow.AddSeconds(120); // a restarted job server takes a minute on a machine shared by builds
        while (!wanted.All(id => app.Smtp.Messages.Any(m => m.Headers["X-Pare-Alert-Id"] == id)))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Alerts missing after 120 s.");
            await Task.Delay(50);
        }
    }
}
