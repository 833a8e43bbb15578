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

        var counts = app.Smtp.Messages.Where(m => (m.MessageId ?? "").StartsWith("alert-", StringComparison.Ordinal))
            .GroupBy(m => Guid.Parse(m.Headers["X-Pare-Alert-Id"]!)).ToDictionary(g => g.Key, g => g.Count());
        foreach (var id in firstWave.Concat(secondWave)) counts[id].ShouldBe(1);
    }

    private async Task<Guid> ReportWorryingAsync(string cell)
    {
        var worker = app.Worker(cell);
        var opened = await worker.OpenCaseAsync(CaseRequests.NewCase("Alix", "Roux", "2013-02-02"));
        (await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/episodes", Requests.Runaway(app.Clock.GetUtcNow().AddHours(-1)))).StatusCode.ShouldBe(HttpStatusCode.Created);
        return await app.ScalarGuidAsync("select alert_id from pare.alert_outbox where case_id = $1 and kind = 'Alert'", opened.Id);
    }

    private async Task WaitForAsync(IEnumerable<Guid> alertIds)
    {
        var wanted = alertIds.Select(id => id.ToString()).ToList();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!wanted.All(id => app.Smtp.Messages.Any(m => m.Headers["X-Pare-Alert-Id"] == id)))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Alerts missing after 30 s.");
            await Task.Delay(50);
        }
    }
}
