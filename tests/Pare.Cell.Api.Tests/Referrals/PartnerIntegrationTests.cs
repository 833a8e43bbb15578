using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Partners;
using Pare.Cell.Api.Referrals;
using Pare.Cell.Api.Tests.Cases;
using Pare.Cell.Api.Tests.Infrastructure;
using Pare.Cell.Domain.Referrals;

namespace Pare.Cell.Api.Tests.Referrals;

[Collection(AlertingCollection.Name)]
public sealed class PartnerIntegrationTests(AlertingApp app)
{
    private DateTimeOffset Now => app.Clock.GetUtcNow();

    private const string PartnerWebhookSecret = "whsec_c2VjcmV0LW9mLXRoZS1wYXJ0bmVyLXdlYmhvb2stMTIz";

    private static string NewCell() => $"cell-p-{Guid.NewGuid():N}"[..18];

    private async Task<(Guid PartnerId, string ClientId, string Secret)> PartnerAsync(string cell, string name, string? webhookUrl = null, params string[] scopes)
    {
        var head = app.Head(cell);
        var created = await head.PostJsonAsync("/api/v1/partners", new
        {
            name, type = "association",
            contacts = new[] { new { name = "Permanence", role = "Accueil", phone = "0400000000", email = "accueil@asso.example" } },
            webhookUrl, webhookSecret = webhookUrl is null ? null : PartnerWebhookSecret,
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var partner = await created.ReadAsync<PartnerView>();
        var issued = await head.PostJsonAsync($"/api/v1/partners/{partner.Id}/clients", new { scopes = scopes.Length > 0 ? scopes : PartnerClients.KnownScopes });
        issued.StatusCode.ShouldBe(HttpStatusCode.Created);
        var client = await issued.ReadAsync<PartnerClients.Issued>();
        return (partner.Id, client.ClientId, client.ClientSecret);
    }

    private async Task<HttpResponseMessage> TokenResponseAsync(string clientId, string secret, string? scope = null)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = secret };
        if (scope is not null) form["scope"] = scope;
        return await app.Anonymous().PostAsync("/api/v1/partner-auth/token", new FormUrlEncodedContent(form));
    }

    private async Task<HttpClient> PartnerClientAsync(string clientId, string secret)
    {
        var response = await TokenResponseAsync(clientId, secret);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var token = await response.ReadAsync<TokenResponse>();
        token.ExpiresIn.ShouldBe(900);
        var client = app.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
        return client;
    }

    private async Task<(CaseView Case, ReferralView Referral)> SentReferralAsync(string cell, Guid partnerId, string[] shares, bool consent = true)
    {
        var worker = app.Worker(cell);
        var body = CaseRequests.NewCase("Maëlys-Partagée", "Ombre-Secrète", "2011-09-02");
        body["confirmDistinct"] = true; // several referrals of one test each open a case for a minor of that name
        var opened = await worker.OpenCaseAsync(body);
        await worker.PutJsonAsync($"/api/v1/cases/{opened.Id}/profile", new { phones = new[] { "0699999999" } }, 1);
        var drafted = await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/referrals",
            new { partnerId, reason = "Accompagnement vers la santé sexuelle", shares, guardianConsented = consent });
        drafted.StatusCode.ShouldBe(HttpStatusCode.Created, await drafted.Content.ReadAsStringAsync());
        var referral = await drafted.ReadAsync<ReferralView>();
        if (!consent) return (opened, referral);
        var sent = await worker.PostJsonAsync($"/api/v1/referrals/{referral.Id}/sending", new { });
        sent.StatusCode.ShouldBe(HttpStatusCode.OK, await sent.Content.ReadAsStringAsync());
        return (opened, await sent.ReadAsync<ReferralView>());
    }

    [Fact]
    public async Task A_referral_sharing_the_identity_gives_the_partner_a_short_lived_signed_photo_link_each_use_journaled()
    {
        var cell = NewCell();
        var mine = await PartnerAsync(cell, "Association Photo");
        var (opened, referral) = await SentReferralAsync(cell, mine.PartnerId, ["identity"]);
        var (unshared, unsharedReferral) = await SentReferralAsync(cell, mine.PartnerId, ["riskLevel"]);
        foreach (var (caseId, version) in new[] { (opened.Id, 2L), (unshared.Id, 2L) })
        {
            var uploaded = await Photos.PhotoApiTests.UploadAsync(app.Worker(cell), caseId, await CaseVersionAsync(cell, caseId), Photos.TestImages.Jpeg(400, 300), "p.jpg", "image/jpeg");
            uploaded.StatusCode.ShouldBe(HttpStatusCode.OK, await uploaded.Content.ReadAsStringAsync());
        }
        var partner = await PartnerClientAsync(mine.ClientId, mine.Secret);

        var view = await (await partner.GetAsync($"/api/v1/partner/referrals/{referral.Id}")).ReadAsync<PartnerReferralView>();
        view.PhotoUrl.ShouldNotBeNull();
        (await (await partner.GetAsync($"/api/v1/partner/referrals/{unsharedReferral.Id}")).ReadAsync<PartnerReferralView>()).PhotoUrl.ShouldBeNull();

        var link = view.PhotoUrl!.PathAndQuery;
        link.ShouldNotContain(opened.Id.ToString()); // a partner never learns a case's id
        var photo = await app.Anonymous().GetAsync(link);
        photo.StatusCode.ShouldBe(HttpStatusCode.OK);
        photo.Content.Headers.ContentType!.MediaType.ShouldBe("image/jpeg");
        (await app.ScalarAsync("select count(*) from audit.access_journal where case_id = $1 and action = 'partner.photo.read' and user_id = $2", opened.Id, mine.ClientId))
            .ShouldBe(1);
        (await app.Anonymous().GetAsync(link.Replace("signature=", "signature=x", StringComparison.Ordinal))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await app.Anonymous().GetAsync(link.Replace($"reader={mine.ClientId}", "reader=someone-else", StringComparison.Ordinal))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        app.Clock.Advance(TimeSpan.FromMinutes(11));
        (await app.Anonymous().GetAsync(link)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await app.ScalarAsync("select count(*) from audit.access_journal where case_id = $1 and action = 'partner.photo.read'", opened.Id)).ShouldBe(1);
    }

    private async Task<long> CaseVersionAsync(string cell, Guid caseId) => (await app.Worker(cell).GetCaseAsync(caseId)).Version;

    [Fact]
    public async Task A_partner_sees_only_its_own_referrals_and_only_the_shared_fields()
    {
        var cell = NewCell();
        var mine = await PartnerAsync(cell, "Association A");
        var other = await PartnerAsync(cell, "Association B");
        var (opened, referral) = await SentReferralAsync(cell, mine.PartnerId, ["identity", "riskLevel"]);
        var (_, othersReferral) = await SentReferralAsync(cell, other.PartnerId, ["identity", "profile"]);
        var partner = await PartnerClientAsync(mine.ClientId, mine.Secret);

        var listed = await partner.GetAsync("/api/v1/partner/referrals");
        var list = await listed.ReadAsync<List<PartnerReferralSummary>>();
        list.Select(r => r.Id).ShouldBe([referral.Id]);
        list[0].CaseReference.ShouldBe(opened.Reference);
        var listedJson = await listed.Content.ReadAsStringAsync();
        foreach (var internals in new[] { "caseId", "sentBy", "ground", opened.Id.ToString() }) listedJson.ShouldNotContain(internals); // the cell's, not the partner's
        (await app.ScalarAsync("select count(*) from audit.access_journal where case_id = $1 and action = 'partner.referral.list' and user_id = $2", opened.Id, mine.ClientId)).ShouldBe(1);

        var read = await partner.GetAsync($"/api/v1/partner/referrals/{referral.Id}");
        read.StatusCode.ShouldBe(HttpStatusCode.OK);
        var json = await read.ReadObjectAsync();
        json["identity"]!["firstName"]!.ToString().ShouldBe("Maëlys-Partagée");
        json.ContainsKey("profile").ShouldBeFalse();
        json.ContainsKey("openEpisode").ShouldBeFalse();
        (await read.Content.ReadAsStringAsync()).ShouldNotContain("0699999999");
        (await partner.GetAsync($"/api/v1/partner/referrals/{referral.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await app.ScalarAsync("select count(*) from audit.access_journal where case_id = $1 and action = 'partner.referral.read' and user_id = $2", opened.Id, mine.ClientId)).ShouldBe(2);

        (await partner.GetAsync($"/api/v1/partner/referrals/{othersReferral.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await partner.GetAsync($"/api/v1/cases/{opened.Id}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await partner.PostJsonAsync($"/api/v1/partner/referrals/{Guid.NewGuid()}/episodes", Requests.Runaway(Now.AddHours(-1)))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Once_a_referral_is_revoked_or_completed_its_partner_still_sees_the_referral_but_no_longer_the_minor()
    {
        var cell = NewCell();
        var org = await PartnerAsync(cell, "Association C");
        var (opened, revoked) = await SentReferralAsync(cell, org.PartnerId, ["identity", "profile", "riskLevel", "openEpisode"]);
        var (_, completed) = await SentReferralAsync(cell, org.PartnerId, ["identity", "profile"]);
        var partner = await PartnerClientAsync(org.ClientId, org.Secret);
        await app.Worker(cell).PostJsonAsync($"/api/v1/cases/{opened.Id}/episodes", Requests.Runaway(Now.AddHours(-1)));
        var live = await (await partner.GetAsync($"/api/v1/partner/referrals/{revoked.Id}")).ReadObjectAsync();
        live["identity"]!["firstName"]!.ToString().ShouldBe("Maëlys-Partagée");
        live.ToJsonString().ShouldContain("0699999999"); // shown while under way, so its absence below means something
        live.ContainsKey("openEpisode").ShouldBeTrue();

        (await app.Head(cell).PostJsonAsync($"/api/v1/referrals/{revoked.Id}/revocation", new { reason = "Partage plus nécessaire" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        var url = $"/api/v1/partner/referrals/{completed.Id}";
        await partner.PostJsonAsync($"{url}/acceptance", new { });
        (await partner.PostJsonAsync($"{url}/completion", new { note = "Suivi terminé" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        foreach (var (id, status) in new[] { (revoked.Id, "revoked"), (completed.Id, "completed") })
        {
            var read = await partner.GetAsync($"/api/v1/partner/referrals/{id}");
            read.StatusCode.ShouldBe(HttpStatusCode.OK);
            var body = await read.Content.ReadAsStringAsync();
            body.ShouldNotContain("Maëlys-Partagée");
            body.ShouldNotContain("0699999999");
            var json = await read.ReadObjectAsync();
            json["status"]!.ToString().ShouldBe(status);
            foreach (var part in new[] { "identity", "profile", "riskLevel", "openEpisode" }) json.ContainsKey(part).ShouldBeFalse(part);
        }
    }

    [Fact]
    public async Task Sending_without_consent_or_legal_basis_is_422_and_declining_without_a_reason_is_400()
    {
        var cell = NewCell();
        var partnerOrg = await PartnerAsync(cell, "CRIP");
        var (_, draft) = await SentReferralAsync(cell, partnerOrg.PartnerId, ["identity"], consent: false);

        var refused = await app.Worker(cell, "fr").PostJsonAsync($"/api/v1/referrals/{draft.Id}/sending", new { });
        refused.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await refused.ProblemCodeAsync()).ShouldBe("no-consent-or-legal-basis");
        (await refused.ReadObjectAsync())["detail"]!.ToString().ShouldContain("L226-2-2");

        var (_, sent) = await SentReferralAsync(cell, partnerOrg.PartnerId, ["identity"]);
        var partner = await PartnerClientAsync(partnerOrg.ClientId, partnerOrg.Secret);
        var noReason = await partner.PostJsonAsync($"/api/v1/partner/referrals/{sent.Id}/decline", new { });
        noReason.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await noReason.ProblemFieldsAsync()).Keys.ShouldContain("reason");
        (await partner.PostJsonAsync($"/api/v1/partner/referrals/{sent.Id}/decline", new { reason = "Hors de notre territoire" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await (await app.Worker(cell).GetAsync($"/api/v1/referrals/{sent.Id}")).ReadAsync<ReferralView>()).Status.ShouldBe(ReferralStatus.Declined);

        var from = DateOnly.FromDateTime(Now.UtcDateTime.AddDays(-1)).ToString("yyyy-MM-dd");
        var to = DateOnly.FromDateTime(Now.UtcDateTime.AddDays(1)).ToString("yyyy-MM-dd");
        var figures = await (await app.Head(cell).GetAsync($"/api/v1/figures?from={from}&to={to}")).ReadAsync<Api.Caseload.FiguresView>();
        figures.Referrals.ShouldBe([new Api.Caseload.ReferralOutcomes(PartnerType.Association, ReferralStatus.Declined, 1)]);

        var before = $"from={DateOnly.FromDateTime(Now.UtcDateTime.AddDays(-10)):yyyy-MM-dd}&to={DateOnly.FromDateTime(Now.UtcDateTime.AddDays(-1)):yyyy-MM-dd}";
        var earlier = await (await app.Head(cell).GetAsync($"/api/v1/figures?{before}")).ReadAsync<Api.Caseload.FiguresView>();
        earlier.Referrals.ShouldBeEmpty(); // sent after the period
    }

    [Fact]
    public async Task A_draft_refused_for_want_of_consent_is_sent_once_consent_is_stated_and_only_its_sender_or_the_head_revokes_it()
    {
        var cell = NewCell();
        var org = await PartnerAsync(cell, "Planning familial");
        var (_, draft) = await SentReferralAsync(cell, org.PartnerId, ["identity"], consent: false);
        var worker = app.Worker(cell);
        (await worker.PostJsonAsync($"/api/v1/referrals/{draft.Id}/sending", new { })).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);

        var ground = new { minorConsented = true, guardianConsented = false, legalBasis = (string?)null };
        (await worker.PutJsonAsync($"/api/v1/referrals/{draft.Id}/ground", ground, null)).StatusCode.ShouldBe(HttpStatusCode.PreconditionRequired);
        var stated = await worker.PutJsonAsync($"/api/v1/referrals/{draft.Id}/ground", ground, draft.Version);
        stated.StatusCode.ShouldBe(HttpStatusCode.OK, await stated.Content.ReadAsStringAsync());
        var amended = await stated.ReadAsync<ReferralView>();
        amended.Ground.ShouldBe(new SharingGround(true, false, null));
        stated.Headers.ETag!.Tag.ShouldBe($"\"{draft.Version + 1}\"");
        (await app.ScalarAsync("select count(*) from pare.mt_events where stream_id = $1 and type = 'referral_sharing_ground_stated'", draft.Id)).ShouldBe(1);

        var sent = await worker.PostJsonAsync($"/api/v1/referrals/{draft.Id}/sending", new { });
        sent.StatusCode.ShouldBe(HttpStatusCode.OK, await sent.Content.ReadAsStringAsync());
        var again = await worker.PutJsonAsync($"/api/v1/referrals/{draft.Id}/ground", new { guardianConsented = true }, (await sent.ReadAsync<ReferralView>()).Version);
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict); // a sent referral keeps the ground it was sent on
        (await again.ProblemCodeAsync()).ShouldBe("referral-wrong-state");

        // A rule about who may revoke it: another worker is forbidden (403), whatever the referral's state.
        var colleague = await app.As("worker-2", cell, Api.Infrastructure.Auth.Roles.Worker).PostJsonAsync($"/api/v1/referrals/{draft.Id}/revocation", new { reason = "Plus utile" });
        colleague.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await colleague.ProblemCodeAsync()).ShouldBe("only-sender-or-head");
        (await worker.PostJsonAsync($"/api/v1/referrals/{draft.Id}/revocation", new { reason = "Plus utile" })).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_lifecycle_runs_through_the_partner_API_and_an_accepted_referral_lets_the_partner_report_a_runaway_once()
    {
        var cell = NewCell();
        var org = await PartnerAsync(cell, "Mouvement");
        var (opened, referral) = await SentReferralAsync(cell, org.PartnerId, ["identity", "openEpisode"]);
        var partner = await PartnerClientAsync(org.ClientId, org.Secret);
        var url = $"/api/v1/partner/referrals/{referral.Id}";

        (await partner.PostJsonAsync($"{url}/episodes", Requests.Runaway(Now.AddHours(-1)))).StatusCode.ShouldBe(HttpStatusCode.NotFound); // not accepted yet
        (await partner.PostJsonAsync($"{url}/acknowledgement", new { }, referral.Version)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await partner.PostJsonAsync($"{url}/acceptance", new { }, referral.Version)).StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed); // read before the acknowledgement
        (await partner.PostJsonAsync($"{url}/acceptance", new { })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var key = Guid.NewGuid().ToString();
        var first = await partner.PostJsonAsync($"{url}/episodes", Requests.Runaway(Now.AddHours(-1)), null, key);
        var retry = await partner.PostJsonAsync($"{url}/episodes", Requests.Runaway(Now.AddHours(-1)), null, key);
        first.StatusCode.ShouldBe(HttpStatusCode.Created, await first.Content.ReadAsStringAsync());
        retry.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await app.ScalarAsync("select count(*) from pare.mt_events where stream_id = $1 and type = 'runaway_reported'", opened.Id)).ShouldBe(1);
        (await app.ScalarAsync("select count(*) from pare.mt_events where stream_id = $1 and type = 'runaway_reported' and data->'provenance'->'recordedBy'->>'kind' = 'Partner'", opened.Id)).ShouldBe(1);

        (await partner.PostJsonAsync($"{url}/progress", new { note = "Premier rendez-vous tenu" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await partner.PostJsonAsync($"{url}/completion", new { })).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await partner.PostJsonAsync($"{url}/completion", new { note = "Suivi terminé" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await (await app.Worker(cell).GetAsync($"/api/v1/referrals/{referral.Id}")).ReadAsync<ReferralView>()).Status.ShouldBe(ReferralStatus.Completed);
    }

    [Fact]
    public async Task A_referral_not_received_within_5_working_days_is_due_for_follow_up_in_the_case_worker_s_inbox()
    {
        var cell = NewCell();
        var org = await PartnerAsync(cell, "ASE");
        var (_, referral) = await SentReferralAsync(cell, org.PartnerId, ["identity"]);
        var due = (await (await app.Worker(cell).GetAsync($"/api/v1/referrals/{referral.Id}")).ReadAsync<ReferralView>()).FollowUpDueAt!.Value;
        due.ShouldBe(Domain.Referrals.WorkingDays.Add(referral.SentAt!.Value, 5));
        (due - referral.SentAt!.Value).TotalDays.ShouldBeGreaterThanOrEqualTo(5);

        var ofCase = await (await app.Worker(cell).GetAsync($"/api/v1/cases/{referral.CaseId}/reminders")).ReadAsync<List<Api.Reminders.ReminderItem>>();
        var followUp = ofCase.Single(r => r.Rule == Domain.Reminders.ReminderRule.ReferralFollowUp); // a reminder of the case, as the inbox shows it
        followUp.DueAt.ShouldBe(due);

        app.Clock.Advance(due - Now + TimeSpan.FromMinutes(1));
        var inbox = await (await app.Worker(cell).GetAsync("/api/v1/reminders")).ReadAsync<Api.Reminders.ReminderInbox>();
        inbox.Overdue.ShouldContain(r => r.Rule == Domain.Reminders.ReminderRule.ReferralFollowUp && r.CaseId == referral.CaseId && r.Key == followUp.Key);
        // Recorded overdue by the follow-up job, though nothing changed on the case itself since it last read it.
        await app.Services.GetRequiredService<Api.Reminders.ReminderFollowUp>().RunAsync();
        (await app.ScalarAsync("select count(*) from pare.mt_events where stream_id = $1 and type = 'reminder_overdue' and data->>'key' = $2", referral.CaseId, followUp.Key)).ShouldBe(1);
        var snoozed = await app.Worker(cell).PostJsonAsync($"/api/v1/cases/{referral.CaseId}/reminders/{Uri.EscapeDataString(followUp.Key)}/snooze",
            new { until = Now.AddDays(1), reason = "Partenaire relancé par téléphone" });
        snoozed.StatusCode.ShouldBe(HttpStatusCode.Created, await snoozed.Content.ReadAsStringAsync());
        (await (await app.Worker(cell).GetAsync($"/api/v1/cases/{referral.CaseId}/reminders")).ReadAsync<List<Api.Reminders.ReminderItem>>())
            .Single(r => r.Key == followUp.Key).SnoozedUntil.ShouldBe(Now.AddDays(1));
        app.Clock.Advance(TimeSpan.FromDays(1));

        // The case changes hands: the follow-up goes with it, not with the worker who sent the referral.
        var version = (await app.Worker(cell).GetCaseAsync(referral.CaseId)).Version;
        (await app.Head(cell).PutJsonAsync($"/api/v1/cases/{referral.CaseId}/assignment", new { workerId = "worker-2", reason = "Caseload balance" }, version))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        var newWorker = await (await app.As("worker-2", cell, Api.Infrastructure.Auth.Roles.Worker).GetAsync("/api/v1/reminders")).ReadAsync<Api.Reminders.ReminderInbox>();
        newWorker.Overdue.ShouldContain(r => r.Rule == Domain.Reminders.ReminderRule.ReferralFollowUp && r.CaseId == referral.CaseId);
        inbox = await (await app.Worker(cell).GetAsync("/api/v1/reminders")).ReadAsync<Api.Reminders.ReminderInbox>();
        inbox.Overdue.ShouldNotContain(r => r.Rule == Domain.Reminders.ReminderRule.ReferralFollowUp && r.CaseId == referral.CaseId);
        var head = await (await app.Head(cell).GetAsync("/api/v1/reminders")).ReadAsync<Api.Reminders.ReminderInbox>();
        head.Overdue.ShouldContain(r => r.Rule == Domain.Reminders.ReminderRule.ReferralFollowUp && r.CaseId == referral.CaseId);

        var partner = await PartnerClientAsync(org.ClientId, org.Secret);
        await partner.PostJsonAsync($"/api/v1/partner/referrals/{referral.Id}/acknowledgement", new { });
        await partner.PostJsonAsync($"/api/v1/partner/referrals/{referral.Id}/acceptance", new { });
        head = await (await app.Head(cell).GetAsync("/api/v1/reminders")).ReadAsync<Api.Reminders.ReminderInbox>();
        head.Overdue.ShouldNotContain(r => r.Rule == Domain.Reminders.ReminderRule.ReferralFollowUp && r.CaseId == referral.CaseId);
    }

    [Fact]
    public async Task Every_answer_about_a_referral_gives_the_follow_up_date_under_the_cell_s_own_delay()
    {
        var cell = NewCell();
        var settings = Domain.Reminders.ReminderSettings.Defaults with { ReferralFollowUpWorkingDays = 2 };
        (await app.Head(cell).SendJsonAsync(HttpMethod.Put, "/api/v1/policy/reminders", settings, ifMatch: 0)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var org = await PartnerAsync(cell, "CRIP");
        var (opened, sent) = await SentReferralAsync(cell, org.PartnerId, ["identity"]);
        var due = Domain.Referrals.WorkingDays.Add(sent.SentAt!.Value, 2);

        sent.FollowUpDueAt.ShouldBe(due); // the answer to the sending
        (await (await app.Worker(cell).GetAsync($"/api/v1/referrals/{sent.Id}")).ReadAsync<ReferralView>()).FollowUpDueAt.ShouldBe(due);
        (await (await app.Worker(cell).GetAsync($"/api/v1/cases/{opened.Id}/referrals")).ReadAsync<List<ReferralView>>()).Single().FollowUpDueAt.ShouldBe(due);
    }

    [Fact]
    public async Task Revoked_credentials_stop_working_at_once()
    {
        var cell = NewCell();
        var org = await PartnerAsync(cell, "Hôpital");
        var partner = await PartnerClientAsync(org.ClientId, org.Secret);
        (await partner.GetAsync("/api/v1/partner/referrals")).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await app.Head(cell).DeleteAsync($"/api/v1/partners/{org.PartnerId}/clients/{org.ClientId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await partner.GetAsync("/api/v1/partner/referrals")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await TokenResponseAsync(org.ClientId, org.Secret)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Wrong_secrets_and_scopes_get_no_token_and_a_token_without_a_scope_is_forbidden_there()
    {
        var cell = NewCell();
        var org = await PartnerAsync(cell, "École", null, "referrals:read");
        (await TokenResponseAsync(org.ClientId, "not-the-secret")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await TokenResponseAsync(org.ClientId, org.Secret, "episodes:report")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var (_, referral) = await SentReferralAsync(cell, org.PartnerId, ["identity"]);
        var readOnly = await PartnerClientAsync(org.ClientId, org.Secret);
        (await readOnly.PostJsonAsync($"/api/v1/partner/referrals/{referral.Id}/acceptance", new { })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var rotated = await (await app.Head(cell).PostJsonAsync($"/api/v1/partners/{org.PartnerId}/clients/{org.ClientId}/rotation", new { })).ReadAsync<PartnerClients.Issued>();
        (await TokenResponseAsync(org.ClientId, org.Secret)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await TokenResponseAsync(org.ClientId, rotated.ClientSecret)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_partner_webhook_is_signed_retried_after_a_failure_and_logged()
    {
        using var receiver = new WebhookReceiver { FailuresToSimulate = 1 };
        var cell = NewCell();
        var org = await PartnerAsync(cell, "116 000", receiver.Url);
        var (_, referral) = await SentReferralAsync(cell, org.PartnerId, ["identity"]);

        await receiver.WaitForAsync(r => r.Status == 200, () => app.Clock.Advance(TimeSpan.FromSeconds(3)));

        var accepted = receiver.Requests.First(r => r.Status == 200);
        receiver.Requests.Count(r => r.Status == 503).ShouldBe(1);
        accepted.ShouldBeSignedWith(PartnerWebhookSecret); // as the partner verifies it, with the StandardWebhooks package
        var body = System.Text.Json.Nodes.JsonNode.Parse(accepted.Body)!;
        body["type"]!.ToString().ShouldBe("referral.updated");
        body["data"]!["referralId"]!.ToString().ShouldBe(referral.Id.ToString());
        body["data"]!["messageId"]!.ToString().ShouldBe(accepted.Headers["webhook-id"]);
        body["data"]!["status"]!.ToString().ShouldBe("sent"); // as the API writes it
        accepted.Body.ShouldNotContain("Maëlys");

        // The receiver records the request before it answers; the dispatcher records the delivery after: wait for it.
        WebhookDelivery delivery = null!;
        for (var i = 0; i < 100; i++)
        {
            var log = await (await app.Head(cell).GetAsync($"/api/v1/partners/{org.PartnerId}/webhook-deliveries")).ReadAsync<List<WebhookDelivery>>();
            delivery = log.ShouldHaveSingleItem();
            if (delivery.DeliveredAt is not null) break;
            await Task.Delay(100);
        }
        delivery.DeliveredAt.ShouldNotBeNull();
        delivery.Attempts.ShouldBe(2);
    }
}
