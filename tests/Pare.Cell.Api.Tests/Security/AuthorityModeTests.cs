using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Pare.Cell.Api.Partners;
using Pare.Cell.Api.Referrals;
using Pare.Cell.Api.Tests.Cases;
using Pare.Cell.Api.Tests.Infrastructure;
using Pare.Cell.Domain.Referrals;
using Claims = Pare.Cell.Api.Infrastructure.Auth.Claims;
using Roles = Pare.Cell.Api.Infrastructure.Auth.Roles;

namespace Pare.Cell.Api.Tests.Security;

/// <summary>
/// The README's production sign-in: an OpenID Connect authority and no <c>Auth:SigningKey</c>. Members' tokens
/// come from the provider; partners' from the API's token endpoint, signed with <c>Partners:TokenSigningKey</c>
/// (it answered 500 "No signing key" before), and that key signs nothing but partner tokens.
/// </summary>
[Collection(AuthorityCollection.Name)]
public sealed class AuthorityModeTests(AuthorityApp app)
{
    private static string NewCell() => $"cell-oidc-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task Members_sign_in_through_the_provider_and_a_partner_runs_its_flow_with_a_token_from_the_api()
    {
        var cell = NewCell();
        var head = app.Member("head-oidc", cell, Roles.Head);
        var worker = app.Member("worker-oidc", cell, Roles.Worker);

        var created = await head.PostJsonAsync("/api/v1/partners", new { name = "Association OIDC", type = "association" });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var partnerId = (await created.ReadAsync<PartnerView>()).Id;
        var issued = await head.IssueClientAsync(partnerId);

        var opened = await worker.OpenCaseAsync();
        var drafted = await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/referrals",
            new { partnerId, reason = "Accompagnement", shares = new[] { "identity" }, guardianConsented = true });
        drafted.StatusCode.ShouldBe(HttpStatusCode.Created, await drafted.Content.ReadAsStringAsync());
        var referral = await drafted.ReadAsync<ReferralView>();
        (await worker.PostJsonAsync($"/api/v1/referrals/{referral.Id}/sending", new { })).StatusCode.ShouldBe(HttpStatusCode.OK);

        // The token endpoint issues (it answered 500 in this mode), and its token is accepted.
        var partner = await app.PartnerClientAsync(issued);
        var listed = await partner.GetAsync("/api/v1/partner/referrals");
        listed.StatusCode.ShouldBe(HttpStatusCode.OK, await listed.Content.ReadAsStringAsync());
        (await listed.Content.ReadAsStringAsync()).ShouldContain(referral.Id.ToString());
        var acknowledged = await partner.PostJsonAsync($"/api/v1/partner/referrals/{referral.Id}/acknowledgement", new { });
        acknowledged.StatusCode.ShouldBe(HttpStatusCode.OK, await acknowledged.Content.ReadAsStringAsync());
        (await partner.GetAsync($"/api/v1/cases/{opened.Id}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_partner_signing_key_signs_partner_tokens_only_never_a_member_s()
    {
        var cell = NewCell();
        (await app.Member("worker-oidc", cell, Roles.Worker).GetAsync("/api/v1/cases")).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Whoever holds the partner key cannot make themselves a worker, a head or a partner-and-worker.
        foreach (var roles in new[] { new[] { Roles.Worker }, [Roles.Head], [PartnerClaims.Role, Roles.Worker] })
        {
            var forged = app.Anonymous();
            forged.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SignedWithPartnerKey(cell, roles));
            (await forged.GetAsync("/api/v1/cases")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, string.Join(",", roles));
        }

        // Nor do members' tokens signed by anyone else pass: a key the provider does not publish.
        using var stranger = new TestIssuer();
        var unknown = app.Anonymous();
        unknown.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", stranger.Token("worker-oidc", cell, Roles.Worker));
        (await unknown.GetAsync("/api/v1/cases")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    private string SignedWithPartnerKey(string cell, string[] roles)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "pare-cell",
            Audience = "pare-cell-api",
            Subject = new ClaimsIdentity([new Claim(Claims.Subject, "forger"), new Claim(Claims.Cell, cell), .. roles.Select(r => new Claim(Claims.Role, r))]),
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(10),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(app.PartnerTokenSigningKey)), SecurityAlgorithms.HmacSha256),
        });
    }
}
