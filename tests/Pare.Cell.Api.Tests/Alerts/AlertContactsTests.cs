using System.Net;
using Pare.Cell.Api.Cases.Timeline;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Tests.Cases;
using Pare.Cell.Api.Tests.Infrastructure;
using Pare.Cell.Domain.Common;
using SmtpServer.Protocol;

namespace Pare.Cell.Api.Tests.Alerts;

/// <summary>
/// The alert and the escalation reach people: the case's worker and whoever is on call when the
/// message leaves, by name and professional phone from the directory, and nobody else's phone.
/// The rota is set around the test's own "now", whatever time of day the shared clock shows.
/// </summary>
[Collection(AlertingCollection.Name)]
public sealed class AlertContactsTests(AlertingApp app)
{
    private static string NewCell() => $"reach-{Guid.NewGuid():N}"[..20];

    private static string Local(DateTimeOffset instant) =>
        CellTime.ToLocal(instant).ToString("yyyy-MM-dd'T'HH:mm:00", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// Paul follows the case; Marie is on call for three hours around now; Léa every other hour of
    /// the week; Claire is the head. Everyone has a professional phone in the directory.
    /// </summary>
    private async Task<(string Cell, HttpClient Paul, HttpClient Head)> CellWithPeopleAsync()
    {
        var cell = NewCell();
        await app.ConfigureCellAsync(cell, AlertScenarios.Criteria(young: true));
        var head = app.Member("claire", cell, "Claire Petit", Roles.Head);
        var people = new[]
        {
            ("claire", "Claire Petit", Roles.Head, "06 11 11 11 11", "claire.petit@cellule.example"),
            ("paul", "Paul Martin", Roles.Worker, "06 98 76 54 32", "paul.martin@cellule.example"),
            ("marie", "Marie Durand", Roles.Worker, "06 12 34 56 78", "marie.durand@cellule.example"),
            ("lea", "Léa Roux", Roles.Worker, "07 81 22 33 44", "lea.roux@cellule.example"),
        };
        foreach (var (id, name, role, phone, email) in people)
        {
            var member = app.Member(id, cell, name, role);
            var me = await member.GetAsync("/api/v1/staff/me");
            var saved = await member.SendJsonAsync(HttpMethod.Put, "/api/v1/staff/me/contact", new { phone, email }, rawIfMatch: me.Headers.ETag!.Tag);
            saved.StatusCode.ShouldBe(HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
        }
        var now = app.Clock.GetUtcNow();
        var rota = new
        {
            weekly = Enum.GetValues<DayOfWeek>().Select(d => new { day = d.ToString().ToLowerInvariant(), start = "00:00:00", end = "00:00:00", staffId = "lea" }),
            exceptions = new[] { new { from = Local(now.AddHours(-1)), to = Local(now.AddHours(2)), staffId = "marie" } },
        };
        var defined = await head.SendJsonAsync(HttpMethod.Put, "/api/v1/on-call/rota", rota, rawIfMatch: "\"0\"");
        defined.StatusCode.ShouldBe(HttpStatusCode.OK, await defined.Content.ReadAsStringAsync());
        return (cell, app.Member("paul", cell, "Paul Martin", Roles.Worker), head);
    }

    private async Task<Guid> ReportAsync(HttpClient worker, Guid caseId)
    {
        var report = await worker.PostJsonAsync($"/api/v1/cases/{caseId}/episodes", Requests.Runaway(app.Clock.GetUtcNow().AddHours(-2)));
        report.StatusCode.ShouldBe(HttpStatusCode.Created, await report.Content.ReadAsStringAsync());
        await WaitForAsync(worker, caseId, "episodeBecameWorrying");
        var timeline = await (await worker.GetAsync($"/api/v1/cases/{caseId}/timeline")).ReadAsync<CaseTimeline>();
        return Guid.Parse(timeline.Entries.Single(e => e.Type == "episodeBecameWorrying").Details["alertId"]!.ToString());
    }

    [Fact]
    public async Task The_alert_names_the_case_worker_and_the_person_on_call_with_their_phones_and_nobody_else()
    {
        var (_, paul, _) = await CellWithPeopleAsync();
        var opened = await paul.OpenCaseAsync(CaseRequests.NewCase("Zoé", "Laurent", "2012-03-09"));
        var alertId = await ReportAsync(paul, opened.Id);

        var email = await app.Smtp.WaitForAsync(m => SmtpSink.Is(m, alertId, "alert"));

        var text = email.TextBody!;
        text.ShouldContain("  - personne d'astreinte : Marie Durand, 06 12 34 56 78, marie.durand@cellule.example\n");
        text.ShouldContain("  - travailleur·se social·e référent·e : Paul Martin, 06 98 76 54 32, paul.martin@cellule.example\n");
        text.ShouldContain("  - ligne d'astreinte de la cellule : Astreinte cellule, +33 4 00 00 00 00, astreinte@cellule.example\n");
        // Whom to call comes before the profile; the head and the colleague not on call are not in it.
        text.IndexOf("Marie Durand", StringComparison.Ordinal).ShouldBeLessThan(text.IndexOf("LA DISPARITION", StringComparison.Ordinal));
        foreach (var other in new[] { "Léa Roux", "07 81 22 33 44", "Claire Petit", "06 11 11 11 11", "lea.roux", "claire.petit" })
        {
            text.ShouldNotContain(other);
            email.HtmlBody!.ShouldNotContain(other);
        }
        email.HtmlBody!.ShouldContain("personne d&#39;astreinte : Marie Durand, 06 12 34 56 78");
        email.To.Mailboxes.Select(m => m.Address).ShouldBe(["permanence.parquet@justice.example"]);
    }

    /// <summary>Paul's case alerts; the relay refuses the prosecutor's copy past the deadline: the alert is escalated.</summary>
    private async Task<Guid> EscalatedAlertAsync(HttpClient paul)
    {
        var opened = await paul.OpenCaseAsync(CaseRequests.NewCase("Zoé", "Laurent", "2012-03-09"));
        var reference = Domain.Cases.CaseReference.For(opened.Id);
        app.Smtp.Decide = m => Task.FromResult(m.Subject!.Contains(reference, StringComparison.Ordinal) && m.To.ToString().Contains("parquet", StringComparison.Ordinal)
            ? SmtpResponse.MailboxUnavailable : SmtpResponse.Ok);
        var alertId = await ReportAsync(paul, opened.Id);
        await WaitForAsync(paul, opened.Id, "prosecutorAlertDeliveryFailed");
        app.Clock.Advance(TimeSpan.FromMinutes(11));
        await app.RunAlertDeadlinesAsync();
        return alertId;
    }

    [Fact]
    public async Task An_escalation_goes_to_the_head_and_to_the_person_on_call()
    {
        var (_, paul, _) = await CellWithPeopleAsync();
        try
        {
            var alertId = await EscalatedAlertAsync(paul);

            var escalation = await app.Smtp.WaitForAsync(m => SmtpSink.Is(m, alertId, "escalation"));

            escalation.To.Mailboxes.Select(m => m.Address).ShouldBe(["cheffe.service@cellule.example", "marie.durand@cellule.example"]);
            escalation.TextBody!.ShouldContain("personne d'astreinte : Marie Durand, 06 12 34 56 78");
            escalation.TextBody!.ShouldContain("référent·e : Paul Martin, 06 98 76 54 32");
            escalation.TextBody!.ShouldNotContain("Zoé"); // ids and contacts only, never the minor
        }
        finally
        {
            app.Smtp.Decide = _ => Task.FromResult(SmtpResponse.Ok);
        }
    }

    [Fact]
    public async Task An_address_the_relay_refuses_does_not_keep_the_escalation_from_the_head()
    {
        var (_, paul, _) = await CellWithPeopleAsync();
        app.Smtp.RefusesRecipient = address => address == "marie.durand@cellule.example";
        try
        {
            var alertId = await EscalatedAlertAsync(paul);

            var escalation = await app.Smtp.WaitForAsync(m => SmtpSink.Is(m, alertId, "escalation"));

            escalation.To.Mailboxes.Select(m => m.Address).ShouldContain("cheffe.service@cellule.example");
        }
        finally
        {
            app.Smtp.Decide = _ => Task.FromResult(SmtpResponse.Ok);
            app.Smtp.RefusesRecipient = _ => false;
        }
    }

    private static async Task WaitForAsync(HttpClient client, Guid caseId, string type)
    {
        for (var i = 0; i < 300; i++)
        {
            var timeline = await (await client.GetAsync($"/api/v1/cases/{caseId}/timeline")).ReadAsync<CaseTimeline>();
            if (timeline.Entries.Any(e => e.Type == type)) return;
            await Task.Delay(100);
        }
        throw new TimeoutException(type);
    }
}
