using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Pare.Cell.Api.Alerts;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Partners;
using Pare.Cell.Api.Referrals;
using Pare.Cell.Api.Reminders;
using Pare.Cell.Api.Tests.Cases;
using Pare.Cell.Api.Tests.Infrastructure;
using SmtpServer.Protocol;

namespace Pare.Cell.Api.Tests.Alerts;

/// <summary>
/// One cell's trouble never delays another cell's prosecutor alert: cell J's partner endpoint
/// takes connections and never answers while J sends referrals, cell K's recipient is refused by
/// the relay, and cell V's alert, escalation and found notice still arrive at once. And a partner's
/// webhook that never gets through is given up after its bound, visibly.
/// </summary>
[Collection(AlertingCollection.Name)]
public sealed class NoisyNeighbourTests(AlertingApp app)
{
    private static readonly TimeSpan OnTime = TimeSpan.FromSeconds(5); // a send takes milliseconds; the old shared queue took 15 s

    private const string PartnerSecret = "whsec_c2VjcmV0LW9mLXRoZS1wYXJ0bmVyLXdlYmhvb2stMTIz";

    private DateTimeOffset Now => app.Clock.GetUtcNow();

    private static string NewCell(string letter) => $"cell-{letter}-{Guid.NewGuid():N}"[..18];

    [Fact]
    public async Task Hanging_partner_webhooks_of_one_cell_and_a_refusing_relay_for_another_never_delay_this_cell_s_alert_escalation_and_found_notice()
    {
        using var hanging = new HangingEndpoint();
        var j = NewCell("j");
        var k = NewCell("k");
        var v = NewCell("v");
        await app.ConfigureCellAsync(k, AlertScenarios.Criteria(young: true));
        await app.ConfigureCellAsync(v, AlertScenarios.Criteria(young: true));
        var refused = new HashSet<string>();
        // The relay refuses what goes to the prosecutor about the cases listed here (a head's escalation passes).
        app.Smtp.Decide = m => Task.FromResult(m.To.ToString().Contains("parquet", StringComparison.Ordinal)
            && refused.Any(r => m.Subject!.Contains(r, StringComparison.Ordinal)) ? SmtpResponse.MailboxUnavailable : SmtpResponse.Ok);
        try
        {
            // Cell J: 16 referrals to a partner whose endpoint never answers.
            var partnerId = await PartnerAsync(j, hanging.Url);
            for (var i = 0; i < 16; i++) await SendReferralAsync(j, partnerId);
            // Cell K: every alert refused by the relay, retried.
            for (var i = 0; i < 6; i++)
            {
                var opened = await OpenAsync(k);
                refused.Add(opened.Reference);
                await app.Worker(k).ReportRunawayAsync(opened.Id, Now.AddHours(-1));
            }
            await WaitUntilAsync(() => hanging.Connections >= 4, "J's webhooks never reached the hanging endpoint");

            // Cell V: the alert.
            var a = await OpenAsync(v);
            var reportedAt = Stopwatch.GetTimestamp();
            var episode = await app.Worker(v).ReportRunawayAsync(a.Id, Now.AddHours(-1));
            await app.Smtp.WaitForAsync(m => m.Subject!.Contains(a.Reference, StringComparison.Ordinal) && Kind(m) == "alert", OnTime);
            Stopwatch.GetElapsedTime(reportedAt).ShouldBeLessThan(OnTime);

            // Cell V: an alert its relay refuses, escalated to the head past the deadline, while every
            // retry of J and K falls due at the same moment.
            var b = await OpenAsync(v);
            refused.Add(b.Reference);
            await app.Worker(v).ReportRunawayAsync(b.Id, Now.AddHours(-1));
            var alertB = await app.ScalarGuidAsync("select alert_id from pare.alert_outbox where case_id = $1 and kind = 'Alert'", b.Id);
            await WaitUntilAsync(async () => await app.ScalarAsync(
                "select count(*) from pare.alert_outbox where alert_id = $1 and kind = 'Alert' and attempts > 0", alertB) > 0, "B's alert was never tried");
            app.Clock.Advance(TimeSpan.FromMinutes(11));
            var escalatingAt = Stopwatch.GetTimestamp();
            await app.RunAlertDeadlinesAsync();
            var escalation = await app.Smtp.WaitForAsync(m => SmtpSink.Is(m, alertB, "escalation"), OnTime);
            Stopwatch.GetElapsedTime(escalatingAt).ShouldBeLessThan(OnTime);
            escalation.To.ToString().ShouldContain("cheffe.service@cellule.example");

            // Cell V: the found notice.
            var returningAt = Stopwatch.GetTimestamp();
            (await app.Worker(v).PostJsonAsync($"/api/v1/cases/{a.Id}/episodes/{episode.EpisodeId}/return", Requests.Return(Now))).StatusCode
                .ShouldBe(HttpStatusCode.Created);
            await app.Smtp.WaitForAsync(m => m.Subject!.Contains(a.Reference, StringComparison.Ordinal) && Kind(m) == "foundNotice", OnTime);
            Stopwatch.GetElapsedTime(returningAt).ShouldBeLessThan(OnTime);

            // Meanwhile J's messages were tried, failed by their timeout and wait out their own backoff.
            hanging.Connections.ShouldBeGreaterThanOrEqualTo(4);
        }
        finally
        {
            app.Smtp.Decide = _ => Task.FromResult(SmtpResponse.Ok);
        }
    }

    [Fact]
    public async Task A_partner_webhook_that_never_gets_through_is_given_up_after_its_bound_shown_in_the_delivery_log_and_to_the_head()
    {
        var cell = NewCell("d");
        var partnerId = await PartnerAsync(cell, $"http://127.0.0.1:{ClosedPort()}/hook");
        await SendReferralAsync(cell, partnerId);
        var deliveries = $"/api/v1/partners/{partnerId}/webhook-deliveries";
        await WaitUntilAsync(async () => (await app.Head(cell).GetAsync(deliveries)).ReadAsync<List<WebhookDelivery>>().Result is [{ Attempts: > 0 }],
            "the webhook was never tried");

        // Past the bound (24 h by default), the next failure is the last.
        app.Clock.Advance(TimeSpan.FromHours(25));
        var dead = await WaitForAsync(async () => (await (await app.Head(cell).GetAsync(deliveries)).ReadAsync<List<WebhookDelivery>>()).SingleOrDefault(d => d.DeadAt is not null),
            "the webhook was never given up");
        dead.DeliveredAt.ShouldBeNull();
        dead.LastError.ShouldNotBeNull().ShouldStartWith("gave up after");
        var attempts = dead.Attempts;

        // Given up: never tried again, however much time passes; the head is told.
        app.Clock.Advance(TimeSpan.FromHours(1));
        await Task.Delay(1000);
        (await (await app.Head(cell).GetAsync(deliveries)).ReadAsync<List<WebhookDelivery>>()).Single().Attempts.ShouldBe(attempts);
        var inbox = await (await app.Head(cell).GetAsync("/api/v1/reminders")).ReadAsync<ReminderInbox>();
        var reminder = inbox.Overdue.ShouldHaveSingleItem();
        reminder.Rule.ShouldBe(Domain.Reminders.ReminderRule.PartnerWebhookDead);
        reminder.Key.ShouldBe($"webhook-dead:{dead.MessageId}");
        (await (await app.Worker(cell).GetAsync("/api/v1/reminders")).ReadAsync<ReminderInbox>()).Overdue.ShouldBeEmpty();
    }

    private static string? Kind(MimeKit.MimeMessage message) => message.Headers["X-Pare-Message-Kind"];

    private async Task<CaseView> OpenAsync(string cell)
    {
        var body = CaseRequests.NewCase("Nina", dateOfBirth: "2013-06-01");
        body["confirmDistinct"] = true;
        return await app.Worker(cell).OpenCaseAsync(body);
    }

    private async Task<Guid> PartnerAsync(string cell, string webhookUrl)
    {
        var created = await app.Head(cell).PostJsonAsync("/api/v1/partners", new
        {
            name = "Association Voisine", type = "association",
            contacts = new[] { new { name = "Permanence", role = "Accueil", phone = "0400000000", email = "accueil@asso.example" } },
            webhookUrl, webhookSecret = PartnerSecret,
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return (await created.ReadAsync<PartnerView>()).Id;
    }

    private async Task SendReferralAsync(string cell, Guid partnerId)
    {
        var worker = app.Worker(cell);
        var opened = await OpenAsync(cell);
        var drafted = await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/referrals",
            new { partnerId, reason = "Accompagnement", shares = new[] { "riskLevel" }, guardianConsented = true });
        drafted.StatusCode.ShouldBe(HttpStatusCode.Created, await drafted.Content.ReadAsStringAsync());
        var referral = await drafted.ReadAsync<ReferralView>();
        var sent = await worker.PostJsonAsync($"/api/v1/referrals/{referral.Id}/sending", new { });
        sent.StatusCode.ShouldBe(HttpStatusCode.OK, await sent.Content.ReadAsStringAsync());
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port; // closed again when disposed: connections are refused
    }

    private static Task WaitUntilAsync(Func<bool> condition, string failure) => WaitUntilAsync(() => Task.FromResult(condition()), failure);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string failure)
    {
        for (var i = 0; i < 300; i++)
        {
            if (await condition()) return;
            await Task.Delay(100);
        }
        throw new TimeoutException(failure);
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T?>> read, string failure) where T : class
    {
        for (var i = 0; i < 300; i++)
        {
            if (await read() is { } found) return found;
            await Task.Delay(100);
        }
        throw new TimeoutException(failure);
    }
}
