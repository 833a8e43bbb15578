using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Pare.Cell.Api.Tests.Alerts;
using Pare.Cell.Api.Tests.Cases;
using Pare.Cell.Api.Tests.Infrastructure;
using SmtpServer.Protocol;

namespace Pare.Cell.Api.Tests.Operations;

/// <summary>API and job server in one process; its SMTP relay can hold a message as long as a test wants.</summary>
public sealed class HeldRelayApp : PareApp
{
    public SmtpSink Smtp { get; } = new();

    protected override string Roles => "api,jobs";

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Alerts:SmtpHost", "127.0.0.1");
        builder.UseSetting("Alerts:SmtpPort", Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Alerts:PollInterval", "00:00:00.100");
        builder.UseSetting("Alerts:PublicBaseUrl", "http://localhost");
        builder.UseSetting("Alerts:SendTimeout", "00:02:00");
        builder.UseSetting("Alerts:DispatcherStallAfter", "00:00:02");
        builder.UseSetting("Telemetry:OutboxSampleInterval", "00:00:00.200");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

public sealed class JobServerReadinessTests(HeldRelayApp app) : IClassFixture<HeldRelayApp>
{
    [Fact]
    public async Task A_stuck_dispatcher_makes_the_job_server_not_ready_and_a_late_alert_shows_in_the_metrics()
    {
        var probe = app.Anonymous();
        var ready = await probe.GetAsync("/health/ready");
        ready.StatusCode.ShouldBe(HttpStatusCode.OK);
        var checks = (await ready.ReadObjectAsync())["checks"]!.AsObject();
        checks.Select(c => c.Key).Order().ShouldBe(["dispatcher", "hangfire", "postgres"]);

        // The relay takes the alert's connection and never answers: the dispatcher waits in its send.
        var release = new TaskCompletionSource<SmtpResponse>();
        app.Smtp.Decide = _ => release.Task;
        var cell = $"cell-st-{Guid.NewGuid():N}"[..18];
        await app.ConfigureCellAsync(cell, AlertScenarios.Criteria(young: true));
        var worker = app.Worker(cell);
        var opened = await worker.OpenCaseAsync(CaseRequests.NewCase("Alix", "Roux", "2013-02-02"));
        await worker.ReportRunawayAsync(opened.Id, app.Clock.GetUtcNow().AddHours(-1));
        try
        {
            HttpResponseMessage? notReady = null;
            for (var i = 0; i < 150 && notReady is null; i++)
            {
                var answer = await probe.GetAsync("/health/ready");
                if (answer.StatusCode == HttpStatusCode.ServiceUnavailable) notReady = answer;
                else await Task.Delay(100);
            }
            notReady.ShouldNotBeNull("the job server stayed ready with its dispatcher stuck");
            var stuck = (await notReady.ReadObjectAsync())["checks"]!.AsObject();
            stuck["dispatcher"]!["status"]!.GetValue<string>().ShouldBe("Unhealthy");
            stuck["postgres"]!["status"]!.GetValue<string>().ShouldBe("Healthy");
            (await probe.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);

            // Three minutes later, the undelivered alert's age is what the PareAlertUndelivered alarm reads.
            app.Clock.Advance(TimeSpan.FromMinutes(3));
            (await MetricAsync("pare_outbox_oldest_undelivered_alert_age_seconds", v => v >= 180)).ShouldBeTrue();
            (await MetricAsync("pare_dispatcher_heartbeat_age_seconds", v => v >= 2)).ShouldBeTrue();
        }
        finally
        {
            release.SetResult(SmtpResponse.Ok);
        }

        await app.Smtp.WaitForAsync(m => m.Subject!.Contains(opened.Reference, StringComparison.Ordinal));
        for (var i = 0; i < 100 && (await probe.GetAsync("/health/ready")).StatusCode != HttpStatusCode.OK; i++) await Task.Delay(100);
        (await probe.GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await MetricAsync("pare_outbox_oldest_undelivered_alert_age_seconds", v => v == 0)).ShouldBeTrue();
    }

    /// <summary>Scrapes until the metric's value satisfies the condition (5 s at most).</summary>
    private async Task<bool> MetricAsync(string name, Func<double, bool> condition)
    {
        var scrape = app.Anonymous();
        scrape.DefaultRequestHeaders.Authorization = new("Bearer", app.MetricsToken);
        for (var i = 0; i < 50; i++)
        {
            var text = await scrape.GetStringAsync("/metrics");
            var match = Regex.Match(text, $@"(?m)^{name}(\{{[^}}]*\}})? (?<v>[0-9.eE+-]+)( \d+)?$");
            if (match.Success && condition(double.Parse(match.Groups["v"].Value, System.Globalization.CultureInfo.InvariantCulture))) return true;
            await Task.Delay(100);
        }
        return false;
    }
}
