using System.Net;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Tests.Alerts;
using Pare.Cell.Api.Tests.Cases;
using Pare.Cell.Api.Tests.Infrastructure;
using SmtpServer.Protocol;

namespace Pare.Cell.Api.Tests.Reliability;

/// <summary>The API in this process (api role only); the job server a separate OS process that the test kills.</summary>
public sealed class CrashFixture : PareApp
{
    public SmtpSink Smtp { get; } = new();
    public JobServerProcess Jobs { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Jobs = new JobServerProcess(ConnectionString, Smtp.Port);
    }

    public override async ValueTask DisposeAsync()
    {
        await Jobs.DisposeAsync();
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

/// <summary>
/// Guarantees 1 and 2 of the alerts issue: once the event that makes an episode worrying is
/// committed, its alert reaches the SMTP server even when the job server is SIGKILLed after the
/// commit, during the SMTP exchange, or after the server accepted the message but before the
/// sender recorded it; distinct alert ids received equal worrying episodes, and any duplicate
/// carries the same id.
/// </summary>
public sealed class AlertsSurviveKilledJobServerTests(CrashFixture app) : IClassFixture<CrashFixture>
{
    [Fact]
    public async Task Every_worrying_episode_s_alert_arrives_despite_SIGKILL_at_each_point()
    {
        var cell = $"crash-{Guid.NewGuid():N}"[..16];
        await app.ConfigureCellAsync(cell, AlertScenarios.Criteria(young: true));
        var expected = new List<Guid>();

        // 1. Killed after the commit: the job server is dead when the reports commit.
        await app.Jobs.StartAsync();
        await app.Jobs.KillAsync();
        for (var i = 0; i < 3; i++) expected.Add(await ReportWorryingAsync(cell));
        await app.Jobs.StartAsync();
        await WaitForAlertsAsync(expected);

        // 2. Killed during the SMTP exchange: the server holds the message, the sender dies.
        var held = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        app.Smtp.Decide = async _ =>
        {
            if (held.TrySetResult())
            {
                await release.Task;
                return SmtpResponse.TransactionFailed; // the sender is dead: nothing is kept
            }
            return SmtpResponse.Ok;
        };
        expected.Add(await ReportWorryingAsync(cell));
        await held.Task.WaitAsync(TimeSpan.FromSeconds(15));
        await app.Jobs.KillAsync();
        release.SetResult();
        app.Smtp.Decide = _ => Task.FromResult(SmtpResponse.Ok);
        await app.Jobs.StartAsync();
        await WaitForAlertsAsync(expected);

        // 3. Killed after the server accepted, before the sender recorded the delivery.
        var accepted = new TaskCompletionSource();
        app.Smtp.Decide = _ =>
        {
            accepted.TrySetResult();
            return Task.FromResult(SmtpResponse.Ok);
        };
        var lastAlert = await ReportWorryingAsync(cell);
        expected.Add(lastAlert);
        await accepted.Task.WaitAsync(TimeSpan.FromSeconds(15));
        await app.Jobs.KillAsync();
        app.Smtp.Decide = _ => Task.FromResult(SmtpResponse.Ok);
        await app.Jobs.StartAsync();
        await WaitForAlertsAsync(expected);
        await WaitUntilAsync(async () => await app.ScalarAsync(
            "select count(*) from pare.alert_outbox where cell_id = $1 and kind = 'Alert' and delivered_at is null", cell) == 0);

        var received = app.Smtp.Messages.Where(m => m.Headers["X-Pare-Message-Kind"] == "alert")
            .Select(m => Guid.Parse(m.Headers["X-Pare-Alert-Id"]!)).Where(expected.Contains).ToList();
        received.Distinct().Order().ShouldBe(expected.Order());
        var worryingEpisodes = await app.ScalarAsync(
            "select count(*) from pare.mt_events where tenant_id = $1 and type = 'episode_became_worrying'", cell);
        received.Distinct().Count().ShouldBe((int)worryingEpisodes);
        app.Jobs.Starts.ShouldBe(4);
    }

    private async Task<Guid> ReportWorryingAsync(string cell)
    {
        var worker = app.Worker(cell);
        var opened = await worker.OpenCaseAsync(CaseRequests.NewCase("Nina", dateOfBirth: "2013-06-01"));
        var report = await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/episodes", Requests.Runaway(app.Clock.GetUtcNow().AddHours(-1)));
        report.StatusCode.ShouldBe(HttpStatusCode.Created);
        var alertId = await app.ScalarGuidAsync("select alert_id from pare.alert_outbox where case_id = $1 and kind = 'Alert' and channel = 'Email'", opened.Id);
        return alertId;
    }

    private async Task WaitForAlertsAsync(IEnumerable<Guid> alertIds)
    {
        var wanted = alertIds.Select(id => id.ToString()).ToHashSet();
        await WaitUntilAsync(() => Task.FromResult(wanted.All(id => app.Smtp.Messages.Any(m => m.Headers["X-Pare-Alert-Id"] == id && m.Headers["X-Pare-Message-Kind"] == "alert"))));
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Condition not met within 30 s.");
            await Task.Delay(50);
        }
    }
}
