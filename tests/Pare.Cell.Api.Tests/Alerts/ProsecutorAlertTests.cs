using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Pare.Cell.Api.Alerts;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Cases.Timeline;
using Pare.Cell.Api.Tests.Cases;
using Pare.Cell.Api.Tests.Infrastructure;
using Pare.Cell.Domain.Episodes;

namespace Pare.Cell.Api.Tests.Alerts;

[Collection(AlertingCollection.Name)]
public sealed partial class ProsecutorAlertTests(AlertingApp app)
{
    private DateTimeOffset Now => app.Clock.GetUtcNow();

    private static string NewCell() => $"cell-{Guid.NewGuid():N}"[..20];

    private async Task<(Guid CaseId, EntryRecorded Episode)> ReportAsync(string cell, Dictionary<string, object?>? caseBody = null, DateTimeOffset? lastSeen = null, string classification = "runaway")
    {
        var worker = app.Worker(cell);
        var opened = await worker.OpenCaseAsync(caseBody ?? CaseRequests.NewCase("Zoé", "Laurent", "2012-03-09"));
        var response = await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/episodes", Requests.Runaway(lastSeen ?? Now.AddHours(-2), classification));
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (opened.Id, await response.ReadAsync<EntryRecorded>());
    }

    private async Task<Guid> AlertIdOfAsync(string cell, Guid caseId)
    {
        var timeline = await (await app.Worker(cell).GetAsync($"/api/v1/cases/{caseId}/timeline")).ReadAsync<CaseTimeline>();
        var raised = timeline.Entries.Single(e => e.Type == "episodeBecameWorrying");
        return Guid.Parse(raised.Details["alertId"]!.ToString());
    }

    private async Task<List<string>> TimelineTypesAsync(string cell, Guid caseId) =>
        (await (await app.Worker(cell).GetAsync($"/api/v1/cases/{caseId}/timeline")).ReadAsync<CaseTimeline>()).Entries.Select(e => e.Type).ToList();

    private async Task WaitForTimelineAsync(string cell, Guid caseId, string type)
    {
        for (var i = 0; i < 300 && !(await TimelineTypesAsync(cell, caseId)).Contains(type); i++) await Task.Delay(100);
        (await TimelineTypesAsync(cell, caseId)).ShouldContain(type);
    }

    [Fact]
    public async Task A_worrying_report_alerts_the_prosecutor_with_the_case_profile_criteria_and_contacts()
    {
        var cell = NewCell();
        await app.ConfigureCellAsync(cell, AlertScenarios.Criteria(young: true));
        var (caseId, _) = await ReportAsync(cell);
        var alertId = await AlertIdOfAsync(cell, caseId);

        var email = await app.Smtp.WaitForAsync(m => m.Headers["X-Pare-Alert-Id"] == alertId.ToString());

        email.MessageId.ShouldBe(MessageIds.EmailMessageId(MessageIds.For(alertId, MessageKind.Alert)));
        email.Headers["X-Pare-Message-Id"].ShouldBe(MessageIds.For(alertId, MessageKind.Alert).ToString());
        email.Headers["X-Pare-Message-Kind"].ShouldBe("alert");
        email.To.ToString().ShouldContain("permanence.parquet@justice.example");
        email.Subject!.ShouldContain(CaseReference(caseId));
        var body = email.TextBody!;
        body.ShouldContain("Zoé LAURENT, né·e le 9 mars 2012 (14 ans)");
        body.ShouldContain("Gare Part-Dieu");
        body.ShouldContain("Red jacket");
        body.ShouldContain("âge : 14 ans, moins de 15 ans");
        body.ShouldContain("Astreinte cellule, +33 4 00 00 00 00");
        body.ShouldContain("worker-1");
        body.ShouldContain($"/api/v1/alerts/{alertId}/acknowledgement?");
        email.Body!.ContentType.MimeType.ShouldBe("multipart/alternative");
        AlertMessageTests.Words(AlertMessageTests.FromHtml(email.HtmlBody!)).ShouldBe(AlertMessageTests.Words(body.Replace("\n  - ", "\n", StringComparison.Ordinal)));
        await WaitForTimelineAsync(cell, caseId, "prosecutorAlertDelivered");

        var alerts = await (await app.Head(cell).GetAsync("/api/v1/alerts")).ReadAsync<List<AlertView>>();
        var view = alerts.ShouldHaveSingleItem();
        view.Id.ShouldBe(alertId);
        view.Status.ShouldBe(AlertStatus.Delivered);
        view.Matched.ShouldHaveSingleItem().Criterion.ShouldBe(Domain.Policies.WorryingCriterion.YoungerThanThreshold);
        (await (await app.Head(cell).GetAsync("/api/v1/alerts?status=delivered")).ReadAsync<List<AlertView>>()).ShouldHaveSingleItem().Id.ShouldBe(alertId);
        (await (await app.Head(cell).GetAsync("/api/v1/alerts?status=pending")).ReadAsync<List<AlertView>>()).ShouldBeEmpty();
        var unknown = await app.Head(cell).GetAsync("/api/v1/alerts?status=99");
        unknown.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await unknown.ProblemFieldsAsync()).Keys.ShouldBe(["status"]);
    }

    [Fact]
    public async Task A_report_matching_no_criterion_does_not_alert_until_a_worker_flags_it()
    {
        var cell = NewCell();
        await app.ConfigureCellAsync(cell, AlertScenarios.Criteria());
        var (caseId, episode) = await ReportAsync(cell);
        (await TimelineTypesAsync(cell, caseId)).ShouldNotContain("episodeBecameWorrying");

        var noReason = await app.Worker(cell).PostJsonAsync($"/api/v1/cases/{caseId}/episodes/{episode.EpisodeId}/worrying", new { });
        (await noReason.ProblemFieldsAsync()).Keys.ShouldContain("reason");

        var flagged = await app.Worker(cell).PostJsonAsync($"/api/v1/cases/{caseId}/episodes/{episode.EpisodeId}/worrying", new { reason = "Seen getting into an unknown car" });
        flagged.StatusCode.ShouldBe(HttpStatusCode.Created);
        var alertId = await AlertIdOfAsync(cell, caseId);
        var email = await app.Smtp.WaitForAsync(m => m.Headers["X-Pare-Alert-Id"] == alertId.ToString());
        email.TextBody!.ShouldContain("Seen getting into an unknown car");

        var again = await app.Worker(cell).PostJsonAsync($"/api/v1/cases/{caseId}/episodes/{episode.EpisodeId}/worrying", new { reason = "again" });
        (await again.ProblemCodeAsync()).ShouldBe("already-worrying");
    }

    [Fact]
    public async Task Only_a_head_lowers_a_worrying_classification_and_with_a_reason()
    {
        var cell = NewCell();
        await app.ConfigureCellAsync(cell, AlertScenarios.Criteria(young: true));
        var (caseId, episode) = await ReportAsync(cell);
        var url = $"/api/v1/cases/{caseId}/episodes/{episode.EpisodeId}/classification";

        (await app.Worker(cell).PostJsonAsync(url, new { classification = "runaway", reason = "Found at her aunt's" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await (await app.Head(cell).PostJsonAsync(url, new { classification = "runaway" })).ProblemFieldsAsync()).Keys.ShouldContain("reason");
        (await app.Head(cell).PostJsonAsync(url, new { classification = "runaway", reason = "Whereabouts known: at her aunt's" })).StatusCode.ShouldBe(HttpStatusCode.Created);

        (await app.Worker(cell).GetCaseAsync(caseId)).Facts.CurrentEpisode!.Classification.ShouldBe(RunawayClassification.Runaway);
        (await TimelineTypesAsync(cell, caseId)).ShouldContain("episodeClassificationLowered");
    }

    [Fact]
    public async Task A_lowered_episode_is_alerted_again_when_a_criterion_the_head_did_not_overrule_comes_to_match()
    {
        var cell = NewCell();
        await app.ConfigureCellAsync(cell, AlertScenarios.Criteria(young: true, danger: true));
        var (caseId, episode) = await ReportAsync(cell);
        var first = await AlertIdOfAsync(cell, caseId);
        var episodeUrl = $"/api/v1/cases/{caseId}/episodes/{episode.EpisodeId}";
        (await app.Head(cell).PostJsonAsync($"{episodeUrl}/classification", new { classification = "runaway", reason = "Whereabouts known: at her aunt's" }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);

        // The same facts (her age) do not raise it again; a worker's news of danger does.
        (await app.Worker(cell).PostJsonAsync($"{episodeUrl}/information", new { information = "Left the aunt's flat for a squat" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await TimelineTypesAsync(cell, caseId)).Count(t => t == "episodeBecameWorrying").ShouldBe(1);
        (await app.Worker(cell).PostJsonAsync($"{episodeUrl}/information", new { information = "Squat reported dangerous by the police", dangerDeclared = true }))
            .StatusCode.ShouldBe(HttpStatusCode.Created);

        (await TimelineTypesAsync(cell, caseId)).Count(t => t == "episodeBecameWorrying").ShouldBe(2);
        var second = await app.ScalarGuidAsync("select id from pare.mt_doc_alertview where tenant_id = $1 and (data->>'caseId')::uuid = $2 and id <> $3", cell, caseId, first);
        var email = await app.Smtp.WaitForAsync(m => m.Headers["X-Pare-Alert-Id"] == second.ToString());
        (await app.Worker(cell).GetCaseAsync(caseId)).Facts.CurrentEpisode!.Classification.ShouldBe(RunawayClassification.WorryingDisappearance);
        // Raised by the criterion that came to match, not by the one the head overruled.
        (await app.ScalarAsync("select count(*) from pare.mt_doc_alertview a, jsonb_array_elements(a.data->'matched') m where a.id = $1 and lower(m->>'criterion') = 'dangerdeclared'", second)).ShouldBe(1);
        email.Headers["X-Pare-Alert-Id"].ShouldBe(second.ToString());
    }

    [Fact]
    public async Task A_profile_change_during_an_episode_re_evaluates_it()
    {
        var cell = NewCell();
        await app.ConfigureCellAsync(cell, AlertScenarios.Criteria(health: true));
        var (caseId, episode) = await ReportAsync(cell);
        (await TimelineTypesAsync(cell, caseId)).ShouldNotContain("episodeBecameWorrying");

        var profile = new { phones = new[] { "0611111111" }, health = new { medicalNeeds = "Type 1 diabetes", takesMedication = true, selfHarmRisk = false } };
        (await app.Worker(cell).PutJsonAsync($"/api/v1/cases/{caseId}/profile", profile, episode.Version)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var alertId = await AlertIdOfAsync(cell, caseId);
        var email = await app.Smtp.WaitForAsync(m => m.Headers["X-Pare-Alert-Id"] == alertId.ToString());
        email.TextBody!.ShouldContain("Type 1 diabetes");
    }

    [Fact]
    public async Task An_assessment_in_situation_during_an_open_episode_makes_it_worrying_and_alerts()
    {
        var cell = NewCell();
        await app.ConfigureCellAsync(cell, AlertScenarios.Criteria(risk: true));
        var (caseId, _) = await ReportAsync(cell);
        (await TimelineTypesAsync(cell, caseId)).ShouldNotContain("episodeBecameWorrying");

        var assessed = await app.Worker(cell).PostJsonAsync($"/api/v1/cases/{caseId}/risk-assessments",
            new { observations = new[] { new { indicator = "foundInProstitutionSetting", observedOn = "2026-11-20" } }, finalLevel = "inSituation" });
        assessed.StatusCode.ShouldBe(HttpStatusCode.Created);

        var alertId = await AlertIdOfAsync(cell, caseId);
        var email = await app.Smtp.WaitForAsync(m => m.Headers["X-Pare-Alert-Id"] == alertId.ToString());
        email.TextBody!.ShouldContain("risque prostitutionnel : en situation prostitutionnelle");
    }

    [Fact]
    public async Task Crossing_the_duration_threshold_alerts_with_no_request_touching_the_case()
    {
        var cell = NewCell();
        await app.ConfigureCellAsync(cell, AlertScenarios.Criteria(duration: true));
        var (caseId, _) = await ReportAsync(cell, CaseRequests.NewCase("Léo", "Garnier", "2010-01-15"), lastSeen: Now.AddHours(-47));
        await app.RunOpenEpisodeReviewAsync();
        (await TimelineTypesAsync(cell, caseId)).ShouldNotContain("episodeBecameWorrying");

        app.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        await app.RunOpenEpisodeReviewAsync();

        var alertId = await AlertIdOfAsync(cell, caseId);
        var email = await app.Smtp.WaitForAsync(m => m.Headers["X-Pare-Alert-Id"] == alertId.ToString());
        email.TextBody!.ShouldContain("disparu·e depuis 48 h, au-delà de 48 h");
        (await app.ScalarAsync("select count(*) from hangfire.hash where key = 'recurring-job:open-episode-review' and field = 'Cron'")).ShouldBe(1);
    }

    [Fact]
    public async Task A_case_that_cannot_be_read_does_not_hold_back_the_duration_alerts_of_the_others()
    {
        var broken = NewCell();
        var cell = NewCell();
        await app.ConfigureCellAsync(broken, AlertScenarios.Criteria(duration: true));
        await app.ConfigureCellAsync(cell, AlertScenarios.Criteria(duration: true));
        var (brokenCase, _) = await ReportAsync(broken, CaseRequests.NewCase("Noé", "Brisé", "2010-01-15"), lastSeen: Now.AddHours(-47));
        var (caseId, _) = await ReportAsync(cell, CaseRequests.NewCase("Léa", "Intacte", "2010-01-15"), lastSeen: Now.AddHours(-47));
        (await app.ScalarAsync("with corrupted as (update pare.mt_doc_case set data = jsonb_set(data, '{episodes}', '\"unreadable\"') where id = $1 returning 1) select count(*) from corrupted", brokenCase)).ShouldBe(1);
        try
        {
            app.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));

            var run = await Should.ThrowAsync<Api.Infrastructure.Jobs.CasesFailedException>(app.RunOpenEpisodeReviewAsync);
            run.Message.ShouldContain("1 of");
            (await TimelineTypesAsync(cell, caseId)).ShouldContain("episodeBecameWorrying");
        }
        finally
        {
            // Closed, out of every later run's way (its snapshot is rebuilt from its events first).
            await app.Services.GetRequiredService<Marten.IDocumentStore>().Advanced.RebuildSingleStreamAsync<Domain.Cases.Case>(brokenCase, broken);
            await app.Worker(broken).RecordAsync($"/api/v1/cases/{brokenCase}/episodes/{(await app.Worker(broken).GetCaseAsync(brokenCase)).Facts.CurrentEpisode!.EpisodeId}/return", Requests.Return(app.Clock.GetUtcNow()));
        }
    }

    [Fact]
    public async Task A_delivery_the_dispatcher_could_not_record_on_the_case_is_recorded_by_the_next_deadline_run()
    {
        var cell = NewCell();
        await app.ConfigureCellAsync(cell, AlertScenarios.Criteria(young: true));
        var worker = app.Worker(cell);
        var opened = await worker.OpenCaseAsync(CaseRequests.NewCase("Zoé", "Laurent", "2012-03-09"));
        app.Smtp.Decide = m => Task.FromResult(m.Subject!.Contains(CaseReference(opened.Id), StringComparison.Ordinal)
            ? SmtpServer.Protocol.SmtpResponse.MailboxUnavailable : SmtpServer.Protocol.SmtpResponse.Ok);
        try
        {
            (await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/episodes", Requests.Runaway(Now.AddHours(-1)))).StatusCode.ShouldBe(HttpStatusCode.Created);
            await WaitForTimelineAsync(cell, opened.Id, "prosecutorAlertDeliveryFailed");
        }
        finally
        {
            app.Smtp.Decide = _ => Task.FromResult(SmtpServer.Protocol.SmtpResponse.Ok);
        }
        // As if the relay had taken it and recording it on the case had failed: the outbox knows, the case does not.
        var alertId = await AlertIdOfAsync(cell, opened.Id);
        (await app.ScalarAsync("update pare.alert_outbox set delivered_at = now() where alert_id = $1 and kind = 'Alert' returning 1", alertId)).ShouldBeGreaterThan(0);
        (await TimelineTypesAsync(cell, opened.Id)).ShouldNotContain("prosecutorAlertDelivered");

        app.Clock.Advance(TimeSpan.FromMinutes(2));
        await app.RunAlertDeadlinesAsync();

        (await TimelineTypesAsync(cell, opened.Id)).ShouldContain("prosecutorAlertDelivered");
        (await TimelineTypesAsync(cell, opened.Id)).ShouldNotContain("prosecutorAlertEscalated");
    }

    [Fact]
    public async Task A_delivered_alert_not_acknowledged_in_30_minutes_is_flagged_once_for_the_head()
    {
        var cell = NewCell();
        await app.ConfigureCellAsync(cell, AlertScenarios.Criteria(young: true));
        var (caseId, _) = await ReportAsync(cell);
        var alertId = await AlertIdOfAsync(cell, caseId);
        await app.Smtp.WaitForAsync(m => m.Headers["X-Pare-Alert-Id"] == alertId.ToString());
        await WaitForTimelineAsync(cell, caseId, "prosecutorAlertDelivered");

        app.Clock.Advance(TimeSpan.FromMinutes(31));
        await app.RunAlertDeadlinesAsync();
        await app.RunAlertDeadlinesAsync();

        (await TimelineTypesAsync(cell, caseId)).Count(t => t == "prosecutorAlertUnacknowledged").ShouldBe(1);
        (await app.ScalarAsync("select count(*) from pare.alert_outbox where alert_id = $1 and kind = 'Alert' and followed_up", alertId)).ShouldBeGreaterThan(0);
        (await (await app.Head(cell).GetAsync("/api/v1/alerts")).ReadAsync<List<AlertView>>()).Single().AcknowledgementOverdue.ShouldBeTrue();
        var inbox = await (await app.Head(cell).GetAsync("/api/v1/reminders")).ReadAsync<Api.Reminders.ReminderInbox>();
        inbox.Overdue.ShouldContain(r => r.Rule == Domain.Reminders.ReminderRule.AlertUnacknowledged && r.CaseId == caseId);
    }

    [Fact]
    public async Task The_acknowledgement_link_records_the_acknowledgement_without_an_account()
    {
        var cell = NewCell();
        await app.ConfigureCellAsync(cell, AlertScenarios.Criteria(young: true));
        var (caseId, _) = await ReportAsync(cell);
        var alertId = await AlertIdOfAsync(cell, caseId);
        var email = await app.Smtp.WaitForAsync(m => m.Headers["X-Pare-Alert-Id"] == alertId.ToString());
        var link = new Uri(AckLink().Match(email.TextBody!).Value);
        var anonymous = app.Anonymous();

        var page = await anonymous.GetAsync(link.PathAndQuery);
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync()).ShouldContain("<form method=\"post\">");
        (await TimelineTypesAsync(cell, caseId)).ShouldNotContain("prosecutorAlertAcknowledged");

        (await anonymous.PostAsync(link.PathAndQuery, null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await anonymous.PostAsync(link.PathAndQuery, null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await TimelineTypesAsync(cell, caseId)).Count(t => t == "prosecutorAlertAcknowledged").ShouldBe(1);

        var forged = link.PathAndQuery.Replace($"case={caseId}", $"case={Guid.NewGuid()}", StringComparison.Ordinal);
        (await anonymous.PostAsync(forged, null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await anonymous.GetAsync(link.PathAndQuery + "x")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var farFuture = System.Text.RegularExpressions.Regex.Replace(link.PathAndQuery, "expires=[0-9]+", "expires=999999999999999");
        (await anonymous.GetAsync(farFuture)).StatusCode.ShouldBe(HttpStatusCode.NotFound); // not a date: no 500
        var unsigned = await app.Anonymous().GetAsync(System.Text.RegularExpressions.Regex.Replace(link.PathAndQuery, "&signature=[^&]+", ""));
        unsigned.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await unsigned.ProblemFieldsAsync()).Keys.ShouldBe(["signature"]);
    }

    [Fact]
    public async Task The_return_sends_a_found_notice_to_the_same_recipient_referencing_the_alert()
    {
        var cell = NewCell();
        await app.ConfigureCellAsync(cell, AlertScenarios.Criteria(young: true));
        var (caseId, episode) = await ReportAsync(cell);
        var alertId = await AlertIdOfAsync(cell, caseId);
        await app.Smtp.WaitForAsync(m => SmtpSink.Is(m, alertId, "alert"));

        await app.Worker(cell).RecordAsync($"/api/v1/cases/{caseId}/episodes/{episode.EpisodeId}/return", Requests.Return(Now));

        var notice = await app.Smtp.WaitForAsync(m => SmtpSink.Is(m, alertId, "foundNotice"));
        notice.InReplyTo.ShouldBe(MessageIds.EmailMessageId(MessageIds.For(alertId, MessageKind.Alert)));
        notice.To.ToString().ShouldContain("permanence.parquet@justice.example");
        notice.Subject!.ShouldContain("retrouvé");
        await WaitForTimelineAsync(cell, caseId, "foundNoticeDelivered");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // the webhook is delivered at once: the e-mail still counts, and is still escalated
    public async Task With_the_SMTP_relay_down_the_alert_is_retried_escalated_then_delivered_and_the_worker_never_sees_an_error(bool withWebhook)
    {
        using var receiver = withWebhook ? new WebhookReceiver() : null;
        var cell = NewCell();
        await app.ConfigureCellAsync(cell, AlertScenarios.Criteria(young: true), receiver?.Url);
        var refusing = new HashSet<string>();
        app.Smtp.Decide = m => Task.FromResult(m.To.ToString().Contains("parquet", StringComparison.Ordinal) && refusing.Contains(m.Headers["X-Pare-Alert-Id"] ?? "")
            ? SmtpServer.Protocol.SmtpResponse.MailboxUnavailable : SmtpServer.Protocol.SmtpResponse.Ok);
        try
        {
            var worker = app.Worker(cell);
            var opened = await worker.OpenCaseAsync(CaseRequests.NewCase("Zoé", "Laurent", "2012-03-09"));
            // Refuse every alert of this case from the start (its id is not known yet: refuse by case).
            app.Smtp.Decide = m => Task.FromResult(m.Subject!.Contains(CaseReference(opened.Id), StringComparison.Ordinal) && m.To.ToString().Contains("parquet", StringComparison.Ordinal)
                ? SmtpServer.Protocol.SmtpResponse.MailboxUnavailable : SmtpServer.Protocol.SmtpResponse.Ok);

            var report = await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/episodes", Requests.Runaway(Now.AddHours(-1)));
            report.StatusCode.ShouldBe(HttpStatusCode.Created);
            await WaitForTimelineAsync(cell, opened.Id, "prosecutorAlertDeliveryFailed");

            app.Clock.Advance(TimeSpan.FromMinutes(11));
            await app.RunAlertDeadlinesAsync();
            await WaitForTimelineAsync(cell, opened.Id, "prosecutorAlertEscalated");
            var alertId = await AlertIdOfAsync(cell, opened.Id);
            var escalation = await app.Smtp.WaitForAsync(m => SmtpSink.Is(m, alertId, "escalation"));
            escalation.Headers["X-Pare-Message-Id"].ShouldBe(MessageIds.For(alertId, MessageKind.Escalation).ToString());
            escalation.Headers["X-Pare-Message-Id"].ShouldNotBe(MessageIds.For(alertId, MessageKind.Alert).ToString());
            escalation.To.ToString().ShouldContain("cheffe.service@cellule.example");

            app.Smtp.Decide = _ => Task.FromResult(SmtpServer.Protocol.SmtpResponse.Ok);
            // A retry may still be in flight, refused before the relay came back, and record its
            // next attempt from the clock as it is after this advance: keep time moving (each step
            // longer than the longest backoff) until the relay has the alert.
            for (var step = 0; !app.Smtp.Messages.Any(m => SmtpSink.Is(m, alertId, "alert")); step++)
            {
                step.ShouldBeLessThan(20);
                app.Clock.Advance(TimeSpan.FromMinutes(3));
                try { await app.Smtp.WaitForAsync(m => SmtpSink.Is(m, alertId, "alert"), TimeSpan.FromSeconds(2)); }
                catch (TimeoutException) { }
            }
            var alert = (await (await app.Head(cell).GetAsync("/api/v1/alerts")).ReadAsync<List<AlertView>>()).Single();
            for (var i = 0; i < 100 && alert.DeliveredAt is null; i++)
            {
                await Task.Delay(100);
                alert = (await (await app.Head(cell).GetAsync("/api/v1/alerts")).ReadAsync<List<AlertView>>()).Single();
            }
            alert.EscalatedAt.ShouldNotBeNull();
            alert.DeliveredAt.ShouldNotBeNull();
            if (withWebhook) receiver!.Requests.ShouldContain(r => r.Status == 200 && r.Headers["webhook-id"] == MessageIds.For(alertId, MessageKind.Alert).ToString());
            alert.FailedAttempts.ShouldBeGreaterThanOrEqualTo(1);
        }
        finally
        {
            app.Smtp.Decide = _ => Task.FromResult(SmtpServer.Protocol.SmtpResponse.Ok);
        }
    }

    [Fact]
    public async Task Policy_changes_are_head_or_admin_only_versioned_and_validated()
    {
        var cell = NewCell();
        var policy = await app.Worker(cell).GetAsync("/api/v1/policy");
        policy.StatusCode.ShouldBe(HttpStatusCode.OK);
        policy.Headers.ETag!.Tag.ShouldBe("\"0\"");

        (await app.Worker(cell).SendJsonAsync(HttpMethod.Put, "/api/v1/policy/criteria", AlertScenarios.Criteria(), rawIfMatch: "\"0\"")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var admin = app.As("admin-1", cell, Api.Infrastructure.Auth.Roles.Admin);
        (await admin.SendJsonAsync(HttpMethod.Put, "/api/v1/policy/criteria", AlertScenarios.Criteria(young: true), rawIfMatch: "\"0\"")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await admin.SendJsonAsync(HttpMethod.Put, "/api/v1/policy/criteria", AlertScenarios.Criteria(), rawIfMatch: "\"0\"")).StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);

        var invalid = await app.Head(cell, "fr").SendJsonAsync(HttpMethod.Put, "/api/v1/policy/alert-routing",
            new { prosecutorEmail = "not-an-email", headEmail = "h@x.example", onCall = new { name = "A", phone = "1" }, webhookUrl = "https://169.254.169.254/hook", webhookSecret = "short" }, ifMatch: 1);
        invalid.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var fields = await invalid.ProblemFieldsAsync();
        fields.Keys.ShouldContain("prosecutorEmail");
        fields.Keys.ShouldContain("webhookUrl");
        fields.Keys.ShouldContain("webhookSecret");
    }

    [Fact]
    public async Task The_optional_webhook_is_signed_retried_until_accepted_and_carries_no_personal_data()
    {
        using var receiver = new WebhookReceiver { FailuresToSimulate = 1 };
        var cell = NewCell();
        await app.ConfigureCellAsync(cell, AlertScenarios.Criteria(young: true), receiver.Url);
        var (caseId, _) = await ReportAsync(cell);
        var alertId = await AlertIdOfAsync(cell, caseId);

        // The retry is due after a backoff measured on the app's clock.
        await receiver.WaitForAsync(r => r.Status == 200, () => app.Clock.Advance(TimeSpan.FromSeconds(3)));

        var accepted = receiver.Requests.Single(r => r.Status == 200);
        receiver.Requests.Count(r => r.Status == 503).ShouldBe(1);
        accepted.Headers["webhook-id"].ShouldBe(MessageIds.For(alertId, MessageKind.Alert).ToString());
        accepted.Headers["X-Pare-Alert-Id"].ShouldBe(alertId.ToString());
        accepted.ShouldBeSignedWith(AlertScenarios.WebhookSecret); // verified by the StandardWebhooks package, as a receiver would
        Should.Throw<StandardWebhooks.Diagnostics.WebhookVerificationException>(() => accepted.ShouldBeSignedWith(WebhookReceiver.NewSecret()));
        accepted.Body.ShouldContain(alertId.ToString());
        accepted.Body.ShouldNotContain("Zoé");
        accepted.Body.ShouldNotContain("Laurent");
        accepted.Body.ShouldNotContain("2012-03-09");
    }

    [Fact]
    public async Task Every_message_has_its_own_id_and_names_its_alert_the_same_way_by_e_mail_and_by_webhook()
    {
        using var receiver = new WebhookReceiver();
        var cell = NewCell();
        await app.ConfigureCellAsync(cell, AlertScenarios.Criteria(young: true), receiver.Url);
        var (caseId, episode) = await ReportAsync(cell);
        var alertId = await AlertIdOfAsync(cell, caseId);
        var alertHook = await WaitForWebhookAsync(receiver, MessageIds.For(alertId, MessageKind.Alert));
        var alertMail = await app.Smtp.WaitForAsync(m => SmtpSink.Is(m, alertId, "alert"));

        // The found notice goes to the prosecutor's webhook too when the cell has one.
        await app.Worker(cell).RecordAsync($"/api/v1/cases/{caseId}/episodes/{episode.EpisodeId}/return", Requests.Return(Now));
        var foundHook = await WaitForWebhookAsync(receiver, MessageIds.For(alertId, MessageKind.FoundNotice));
        var foundMail = await app.Smtp.WaitForAsync(m => SmtpSink.Is(m, alertId, "foundNotice"));

        foreach (var (mail, hook, type) in new[] { (alertMail, alertHook, "alert.raised"), (foundMail, foundHook, "alert.found") })
        {
            var body = System.Text.Json.Nodes.JsonNode.Parse(hook.Body)!;
            body["type"]!.ToString().ShouldBe(type);
            // One message id per message, the same on both channels, in the same format; the alert's id beside it.
            mail.Headers["X-Pare-Message-Id"].ShouldBe(hook.Headers["webhook-id"]);
            body["data"]!["messageId"]!.ToString().ShouldBe(hook.Headers["webhook-id"]);
            mail.MessageId.ShouldBe($"{hook.Headers["webhook-id"]}@pare-cell");
            mail.Headers["X-Pare-Alert-Id"].ShouldBe(alertId.ToString());
            hook.Headers["X-Pare-Alert-Id"].ShouldBe(alertId.ToString());
            body["data"]!["alertId"]!.ToString().ShouldBe(alertId.ToString());
            Guid.Parse(hook.Headers["webhook-id"]).ShouldNotBe(alertId);
            hook.ShouldBeSignedWith(AlertScenarios.WebhookSecret);
        }
        alertHook.Headers["webhook-id"].ShouldNotBe(foundHook.Headers["webhook-id"]); // a receiver deduplicating on it keeps both
        System.Text.Json.Nodes.JsonNode.Parse(alertHook.Body)!["data"]!["matchedCriteria"]![0]!.ToString().ShouldBe("youngerThanThreshold"); // as GET /alerts writes it
        foundMail.InReplyTo.ShouldBe(alertMail.MessageId);
    }

    private static Task<WebhookReceiver.Received> WaitForWebhookAsync(WebhookReceiver receiver, Guid messageId) =>
        receiver.WaitForAsync(r => r.Status == 200 && r.Headers["webhook-id"] == messageId.ToString());

    private static string CaseReference(Guid caseId) => Domain.Cases.CaseReference.For(caseId);

    [GeneratedRegex(@"http://localhost/api/v1/alerts/[^\s]+")]
    private static partial Regex AckLink();
}
