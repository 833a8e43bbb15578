using System.Net;
using Pare.Cell.Api.Infrastructure.Http;
using Pare.Cell.Api.Partners;
using Pare.Cell.Api.Referrals;
using Pare.Cell.Api.Tests.Alerts;
using Pare.Cell.Api.Tests.Cases;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Security;

/// <summary>
/// The API's own requests (partner webhooks, the prosecutor's webhook) go to public addresses only:
/// refused when saved if the URL names an inside address, and refused when they leave if the name
/// resolves to one then; no redirect followed; the delivery log tells a head the class of what
/// happened, never enough to map what answers behind a URL. The tests' receivers listen on
/// 127.0.0.1, allowed by <c>Outbound:AllowedHosts</c>; 127.0.0.2 stands for any inside address.
/// </summary>
[Collection(AlertingCollection.Name)]
public sealed class OutboundTests(AlertingApp app)
{
    private static readonly string Secret = WebhookReceiver.NewSecret();

    private static string NewCell() => $"cell-o-{Guid.NewGuid():N}"[..18];

    public static readonly TheoryData<string> Inside = new()
    {
        "https://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "https://10.0.0.5/",
        "https://172.16.3.4/hook",
        "https://192.168.1.10/hook",
        "http://127.0.0.2:5432/",
        "http://[::1]:22/",
        "https://[::ffff:169.254.169.254]/latest/meta-data/",
        "https://[::ffff:10.0.0.5]/",
        "https://[fd00:ec2::254]/latest/meta-data/",
        "https://[fe80::1]/",
        "https://[64:ff9b::a00:5]/",
        "https://100.100.100.200/latest/meta-data/",
        "https://0.0.0.0/",
        "https://[::]/",
        "https://224.0.0.1/",
        "https://metadata.google.internal/computeMetadata/v1/",
        "https://metadata/computeMetadata/v1/",
        "https://localhost/hook",
        "https://db.localhost/hook",
        "https://intranet.corp/hook",
        "https://partner.example@10.0.0.5/hook",
        "https://user:password@partner.example/hook",
        "ftp://partner.example/hook",
        "/relative/hook",
    };

    [Theory]
    [MemberData(nameof(Inside))]
    public async Task A_url_that_leads_inside_is_refused_when_saved_naming_the_field(string url)
    {
        var head = app.Head(NewCell());
        var partner = await head.PostJsonAsync("/api/v1/partners", new { name = "Association", type = "association", webhookUrl = url, webhookSecret = Secret });
        partner.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await partner.Content.ReadAsStringAsync());
        (await partner.ProblemFieldsAsync()).Keys.ShouldContain("webhookUrl");

        var routing = await head.SendJsonAsync(HttpMethod.Put, "/api/v1/policy/alert-routing", AlertScenarios.Routing(url), rawIfMatch: "\"0\"");
        routing.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await routing.Content.ReadAsStringAsync());
        (await routing.ProblemFieldsAsync()).Keys.ShouldContain("webhookUrl");
    }

    [Theory]
    [InlineData("https://hooks.partner.example/pare")]
    [InlineData("https://93.184.215.14/pare")]
    [InlineData("https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/pare")]
    public async Task A_public_https_url_is_accepted(string url)
    {
        var head = app.Head(NewCell());
        var partner = await head.PostJsonAsync("/api/v1/partners", new { name = "Association", type = "association", webhookUrl = url, webhookSecret = Secret });
        partner.StatusCode.ShouldBe(HttpStatusCode.Created, await partner.Content.ReadAsStringAsync());
        (await head.SendJsonAsync(HttpMethod.Put, "/api/v1/policy/alert-routing", AlertScenarios.Routing(url), rawIfMatch: "\"0\"")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public void Outside_Development_and_Testing_only_https_leaves_and_every_inside_address_is_refused_however_written()
    {
        var production = new OutboundPolicy(allowHttp: false, allowedHosts: []);
        production.Accepts("http://hooks.partner.example/pare").ShouldBeFalse();
        production.Accepts("https://hooks.partner.example/pare").ShouldBeTrue();
        production.Accepts("http://127.0.0.1:8080/").ShouldBeFalse();
        foreach (var address in new[]
        {
            "127.0.0.1", "127.255.255.254", "10.1.2.3", "172.31.255.255", "192.168.0.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "255.255.255.255",
            "224.0.0.251", "::1", "::", "::ffff:127.0.0.1", "::ffff:192.168.0.1", "fd00:ec2::254", "fc00::1", "fe80::1%1", "ff02::1", "64:ff9b::7f00:1", "2002:a00:1::1",
        })
            OutboundPolicy.IsForbidden(IPAddress.Parse(address)).ShouldBeTrue(address);
        foreach (var address in new[] { "93.184.215.14", "8.8.8.8", "2606:4700:4700::1111", "64:ff9b::808:808" })
            OutboundPolicy.IsForbidden(IPAddress.Parse(address)).ShouldBeFalse(address);

        var withRelay = new OutboundPolicy(allowHttp: false, allowedHosts: ["relay.cell.internal", "10.1.0.0/16"]);
        withRelay.Accepts("https://relay.cell.internal/hook").ShouldBeTrue();
        withRelay.Allows("relay.cell.internal", IPAddress.Parse("10.9.9.9")).ShouldBeTrue();
        withRelay.Allows("other.example", IPAddress.Parse("10.1.4.4")).ShouldBeTrue();
        withRelay.Allows("other.example", IPAddress.Parse("10.2.4.4")).ShouldBeFalse();
    }

    [Fact]
    public async Task The_address_a_name_resolves_to_is_checked_when_the_webhook_leaves_on_the_address_connected_to()
    {
        using var receiver = new WebhookReceiver(anyAddress: true); // answers on 127.0.0.1 (allowed) and 127.0.0.2 (inside) alike
        var host = $"hooks-{Guid.NewGuid():N}.partner.example";
        app.Hosts.Map(host, "127.0.0.2"); // the name leads inside when the webhook leaves
        var (cell, partnerId) = await PartnerWithWebhookAsync($"http://{host}:{receiver.Port}/hooks/pare");
        await SendReferralAsync(cell, partnerId);

        (await LastDeliveryAsync(cell, partnerId, d => d.Attempts >= 1)).LastError.ShouldBe("refused: address not allowed");
        receiver.Requests.ShouldBeEmpty();

        app.Hosts.Map(host, "127.0.0.1", "127.0.0.2"); // a rebinding answer: one inside address refuses the name
        (await LastDeliveryAsync(cell, partnerId, d => d.Attempts >= 2, advance: true)).LastError.ShouldBe("refused: address not allowed");
        receiver.Requests.ShouldBeEmpty();

        app.Hosts.Map(host, "127.0.0.1"); // resolved again at each attempt: now outside, it is delivered
        (await LastDeliveryAsync(cell, partnerId, d => d.DeliveredAt is not null, advance: true)).LastError.ShouldBeNull();
        receiver.Requests.ShouldHaveSingleItem().LocalAddress.ShouldBe(IPAddress.Loopback);
    }

    [Fact]
    public async Task A_redirect_is_not_followed_and_the_delivery_log_says_only_the_class_of_the_answer()
    {
        using var elsewhere = new WebhookReceiver();
        using var redirecting = new WebhookReceiver { RedirectTo = elsewhere.Url };
        var (cell, redirected) = await PartnerWithWebhookAsync(redirecting.Url);
        await SendReferralAsync(cell, redirected);
        (await LastDeliveryAsync(cell, redirected, d => d.Attempts >= 1)).LastError.ShouldBe("endpoint answered 3xx");
        redirecting.Requests.Count.ShouldBe(1);
        elsewhere.Requests.ShouldBeEmpty(); // the signed payload was not re-posted where the 307 pointed

        using var unauthorised = new WebhookReceiver { Status = 401 };
        var (_, refusing) = await PartnerWithWebhookAsync(unauthorised.Url, cell);
        await SendReferralAsync(cell, refusing);
        (await LastDeliveryAsync(cell, refusing, d => d.Attempts >= 1)).LastError.ShouldBe("endpoint answered 4xx");

        var closed = PostgresServer.FreePort();
        var (_, unreachable) = await PartnerWithWebhookAsync($"http://127.0.0.1:{closed}/hooks/pare", cell);
        await SendReferralAsync(cell, unreachable);
        (await LastDeliveryAsync(cell, unreachable, d => d.Attempts >= 1)).LastError.ShouldBe("connection failed");
    }

    [Fact]
    public async Task The_prosecutor_webhook_leaves_through_the_same_checks()
    {
        var host = $"parquet-{Guid.NewGuid():N}.justice.example";
        app.Hosts.Map(host, "169.254.169.254");
        var cell = NewCell();
        await app.ConfigureCellAsync(cell, AlertScenarios.Criteria(young: true), $"http://{host}/alerts");
        var worker = app.Worker(cell);
        var opened = await worker.OpenCaseAsync(CaseRequests.NewCase("Zoé", dateOfBirth: "2013-03-09"));
        await worker.ReportRunawayAsync(opened.Id, app.Clock.GetUtcNow().AddHours(-1));

        string? error = null;
        for (var i = 0; i < 100 && error is null; i++)
        {
            await Task.Delay(100);
            error = await app.TextAsync("select last_error from pare.alert_outbox where cell_id = $1 and case_id = $2 and channel = 'Webhook'", cell, opened.Id);
        }
        error.ShouldBe("refused: address not allowed");
    }

    private async Task<(string Cell, Guid PartnerId)> PartnerWithWebhookAsync(string url, string? cell = null)
    {
        cell ??= NewCell();
        var created = await app.Head(cell).PostJsonAsync("/api/v1/partners", new { name = "Association", type = "association", webhookUrl = url, webhookSecret = Secret });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return (cell, (await created.ReadAsync<PartnerView>()).Id);
    }

    private async Task SendReferralAsync(string cell, Guid partnerId)
    {
        var worker = app.Worker(cell);
        var opened = await worker.OpenCaseAsync();
        var drafted = await (await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/referrals",
            new { partnerId, reason = "Suivi", shares = new[] { "identity" }, guardianConsented = true })).ReadAsync<ReferralView>();
        (await worker.PostJsonAsync($"/api/v1/referrals/{drafted.Id}/sending", new { })).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    /// <summary>The partner's latest delivery once it matches, moving the clock past the retry backoff when asked.</summary>
    private async Task<WebhookDelivery> LastDeliveryAsync(string cell, Guid partnerId, Func<WebhookDelivery, bool> done, bool advance = false)
    {
        WebhookDelivery? latest = null;
        for (var i = 0; i < 150; i++)
        {
            var log = await (await app.Head(cell).GetAsync($"/api/v1/partners/{partnerId}/webhook-deliveries")).ReadAsync<List<WebhookDelivery>>();
            latest = log.FirstOrDefault();
            if (latest is not null && done(latest)) return latest;
            if (advance) app.Clock.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(100);
        }
        throw new TimeoutException($"The delivery log did not show the expected attempt; latest: {latest}");
    }
}
