using System.Net;
using System.Net.Http.Headers;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Database;
using Pare.Cell.Api.Partners;
using Pare.Cell.Api.Referrals;
using Pare.Cell.Api.Tests.Alerts;
using Pare.Cell.Api.Tests.Cases;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Security;

/// <summary>
/// Finding 1: no role reaches case data through a credential or a setting it can create. An admin
/// (403 on every case route) can neither issue, rotate, list or revoke partner credentials (which
/// read case data) nor re-point the alert routing (which carries the minor's description); both
/// are the head's. Who issued a client is recorded, and every read by that client is journaled
/// under the client and that person.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class SeparationOfDutiesTests(PareApp app)
{
    [Fact]
    public async Task An_admin_can_neither_mint_partner_credentials_nor_re_point_the_alert_routing()
    {
        var cell = $"cell-sd-{Guid.NewGuid():N}"[..18];
        var admin = app.As("admin-1", cell, Roles.Admin);
        var created = await admin.PostJsonAsync("/api/v1/partners", new { name = "Association", type = "association" });
        created.StatusCode.ShouldBe(HttpStatusCode.Created); // the directory stays the admin's
        var partner = await created.ReadAsync<PartnerView>();

        (await admin.PostJsonAsync($"/api/v1/partners/{partner.Id}/clients", new { scopes = new[] { "referrals:read" } })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await admin.GetAsync($"/api/v1/partners/{partner.Id}/clients")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var issued = await (await app.Head(cell).PostJsonAsync($"/api/v1/partners/{partner.Id}/clients", new { scopes = new[] { "referrals:read" } }))
            .ReadAsync<PartnerClients.Issued>();
        (await admin.PostJsonAsync($"/api/v1/partners/{partner.Id}/clients/{issued.ClientId}/rotation", new { })).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await admin.DeleteAsync($"/api/v1/partners/{partner.Id}/clients/{issued.ClientId}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        (await admin.SendJsonAsync(HttpMethod.Put, "/api/v1/policy/alert-routing", AlertScenarios.Routing(), rawIfMatch: "\"0\"")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await app.Head(cell).SendJsonAsync(HttpMethod.Put, "/api/v1/policy/alert-routing", AlertScenarios.Routing(), rawIfMatch: "\"0\"")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_partner_s_read_is_journaled_under_the_client_and_the_head_who_issued_its_secret()
    {
        var cell = $"cell-sg-{Guid.NewGuid():N}"[..18];
        var head = app.As("head-grantor", cell, Roles.Head);
        var partner = await (await head.PostJsonAsync("/api/v1/partners", new { name = "Association", type = "association" })).ReadAsync<PartnerView>();
        var issued = await (await head.PostJsonAsync($"/api/v1/partners/{partner.Id}/clients", new { scopes = new[] { "referrals:read" } }))
            .ReadAsync<PartnerClients.Issued>();
        (await (await head.GetAsync($"/api/v1/partners/{partner.Id}/clients")).ReadAsync<List<PartnerClients.Client>>())
            .ShouldHaveSingleItem().IssuedBy.ShouldBe("head-grantor");

        var worker = app.Worker(cell);
        var opened = await worker.OpenCaseAsync();
        var drafted = await (await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/referrals",
            new { partnerId = partner.Id, reason = "Suivi", shares = new[] { "identity" }, guardianConsented = true })).ReadAsync<ReferralView>();
        (await worker.PostJsonAsync($"/api/v1/referrals/{drafted.Id}/sending", new { })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var reader = await PartnerAsync(issued);
        (await reader.GetAsync($"/api/v1/partner/referrals/{drafted.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var journal = await (await app.Head(cell).GetAsync($"/api/v1/access-journal?caseId={opened.Id}")).ReadAsync<List<AccessJournalApi.JournalEntry>>();
        journal.Where(e => e.UserId == issued.ClientId).ShouldNotBeEmpty();
        journal.Where(e => e.UserId == issued.ClientId).ShouldAllBe(e => e.GrantedBy == "head-grantor");

        var other = app.As("head-rotator", cell, Roles.Head);
        var rotated = await (await other.PostJsonAsync($"/api/v1/partners/{partner.Id}/clients/{issued.ClientId}/rotation", new { })).ReadAsync<PartnerClients.Issued>();
        (await (await PartnerAsync(rotated)).GetAsync($"/api/v1/partner/referrals/{drafted.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await app.ScalarAsync("select count(*) from audit.access_journal where user_id = $1 and granted_by = 'head-rotator'", issued.ClientId)).ShouldBeGreaterThan(0);

        (await other.DeleteAsync($"/api/v1/partners/{partner.Id}/clients/{issued.ClientId}")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await (await head.GetAsync($"/api/v1/partners/{partner.Id}/clients")).ReadAsync<List<PartnerClients.Client>>())
            .ShouldHaveSingleItem().RevokedBy.ShouldBe("head-rotator");
    }

    private async Task<HttpClient> PartnerAsync(PartnerClients.Issued issued)
    {
        var response = await app.Anonymous().PostAsync("/api/v1/partner-auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = issued.ClientId, ["client_secret"] = issued.ClientSecret,
        }));
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var client = app.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await response.ReadAsync<TokenResponse>()).AccessToken);
        return client;
    }
}
