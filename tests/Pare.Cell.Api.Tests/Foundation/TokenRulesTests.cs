using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Foundation;

/// <summary>
/// Tokens signed with the right key, for the right issuer and audience, that still say something
/// the API must not believe: each is a 401 ProblemDetails on every kind of route, never a 200
/// (or a 500 further down, as <c>/reminders</c> and <c>/open-episodes</c> once answered a token
/// without a subject).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class TokenRulesTests(PareApp app)
{
    private static readonly string[] Routes = ["/api/v1/cases", "/api/v1/reminders", "/api/v1/open-episodes", "/api/v1/policy"];

    /// <summary>A head's token of cell A, as raw claims, changed by <paramref name="change"/>, signed with <paramref name="algorithm"/>.</summary>
    private string Token(Action<JsonObject> change, string algorithm = SecurityAlgorithms.HmacSha256)
    {
        var settings = app.Services.GetRequiredService<AuthSettings>();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payload = new JsonObject
        {
            ["iss"] = settings.Issuer,
            ["aud"] = settings.Audience,
            ["sub"] = "head-1",
            ["cell"] = PareApp.CellA,
            ["role"] = Roles.Head,
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + 3600,
        };
        change(payload);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }
            .CreateToken(payload.ToJsonString(), new SigningCredentials(settings.SigningKey, algorithm));
    }

    private async Task<HttpStatusCode[]> CallAsync(string token)
    {
        var client = app.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var statuses = new List<HttpStatusCode>();
        foreach (var route in Routes)
        {
            var response = await client.GetAsync(route);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
                response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            statuses.Add(response.StatusCode);
        }
        return [.. statuses];
    }

    [Fact]
    public async Task A_token_that_follows_every_rule_is_accepted_on_every_route()
    {
        (await CallAsync(Token(_ => { }))).ShouldAllBe(s => s == HttpStatusCode.OK);
        (await CallAsync(Token(p => p.Remove("nbf")))).ShouldAllBe(s => s == HttpStatusCode.OK);
        (await CallAsync(Token(p => p["exp"] = p["iat"]!.GetValue<long>() + 86_400))).ShouldAllBe(s => s == HttpStatusCode.OK);
    }

    public static TheoryData<string> Breaches() =>
    [
        "no iat", "no exp", "no iat nor nbf, exp in 10 years", "exp − iat over a day", "exp − nbf over a day", "iat in the future",
        "no sub", "empty sub", "blank sub", "empty cell", "*DEFAULT* cell", "upper-case cell", "cell with a slash", "two cells",
        "HS384", "HS512",
    ];

    [Theory]
    [MemberData(nameof(Breaches))]
    public async Task A_token_breaking_a_rule_is_401_on_every_route(string breach)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var token = breach switch
        {
            "no iat" => Token(p => p.Remove("iat")),
            "no exp" => Token(p => p.Remove("exp")),
            "no iat nor nbf, exp in 10 years" => Token(p => { p.Remove("iat"); p.Remove("nbf"); p["exp"] = now + 10 * 365 * 86_400L; }),
            "exp − iat over a day" => Token(p => { p.Remove("nbf"); p["exp"] = now + 25 * 3600; }),
            "exp − nbf over a day" => Token(p => { p["nbf"] = now - 3600; p["exp"] = now + 24 * 3600; }),
            "iat in the future" => Token(p => p["iat"] = now + 3600),
            "no sub" => Token(p => p.Remove("sub")),
            "empty sub" => Token(p => p["sub"] = ""),
            "blank sub" => Token(p => p["sub"] = "  "),
            "empty cell" => Token(p => p["cell"] = ""),
            "*DEFAULT* cell" => Token(p => p["cell"] = "*DEFAULT*"),
            "upper-case cell" => Token(p => p["cell"] = "Cell-A"),
            "cell with a slash" => Token(p => p["cell"] = "cell-a/cell-b"),
            "two cells" => Token(p => p["cell"] = new JsonArray("cell-a", "cell-b")),
            "HS384" => Token(_ => { }, SecurityAlgorithms.HmacSha384),
            "HS512" => Token(_ => { }, SecurityAlgorithms.HmacSha512),
            _ => throw new ArgumentOutOfRangeException(nameof(breach)),
        };

        (await CallAsync(token)).ShouldAllBe(s => s == HttpStatusCode.Unauthorized, breach);
    }

    [Fact]
    public async Task A_partner_token_lives_15_minutes_at_most()
    {
        var cell = $"cell-tr-{Guid.NewGuid():N}"[..20];
        var head = app.Head(cell);
        var partner = await (await head.PostJsonAsync("/api/v1/partners", new { name = "Asso", type = "association" })).ReadAsync<Api.Partners.PartnerView>();
        var client = await (await head.PostJsonAsync($"/api/v1/partners/{partner.Id}/clients", new { scopes = new[] { "referrals:read" } }))
            .ReadAsync<Api.Partners.PartnerClients.Issued>();
        async Task<HttpStatusCode> ListReferralsFor(long lifetimeSeconds)
        {
            var token = Token(p =>
            {
                p["sub"] = client.ClientId;
                p["cell"] = cell;
                p["role"] = Api.Partners.PartnerClaims.Role;
                p[Api.Partners.PartnerClaims.PartnerId] = partner.Id.ToString();
                p[Api.Partners.PartnerClaims.Scope] = "referrals:read";
                p["exp"] = p["iat"]!.GetValue<long>() + lifetimeSeconds;
            });
            var caller = app.Anonymous();
            caller.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return (await caller.GetAsync("/api/v1/partner/referrals")).StatusCode;
        }

        (await ListReferralsFor(15 * 60)).ShouldBe(HttpStatusCode.OK);
        (await ListReferralsFor(20 * 60)).ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public void Only_the_configured_algorithms_are_accepted_HS256_with_the_key_asymmetric_ones_with_an_authority_and_HS256_for_partner_tokens()
    {
        static AuthSettings Settings(params (string Key, string Value)[] values) => AuthSettings.From(
            new ConfigurationBuilder().AddInMemoryCollection(values.ToDictionary(v => v.Key, v => (string?)v.Value)).Build(),
            new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Production" });

        Settings(("Auth:SigningKey", new string('k', 48))).Algorithms.ShouldBe([SecurityAlgorithms.HmacSha256]);
        var partnerKey = ("Partners:TokenSigningKey", new string('p', 48));
        var withAuthority = Settings(("Auth:Authority", "https://idp.example/realms/pare"), partnerKey).Algorithms;
        withAuthority.ShouldContain(SecurityAlgorithms.RsaSha256);
        // HS256 for the partner tokens the API signs (a token that key signed is a partner's only: AuthorityModeTests).
        withAuthority.Where(a => a.StartsWith("HS", StringComparison.Ordinal) || a == "none").ShouldBe([SecurityAlgorithms.HmacSha256]);
        Settings(("Auth:Authority", "https://idp.example/realms/pare"), partnerKey, ("Auth:Algorithms:0", "ES256")).Algorithms
            .ShouldBe([SecurityAlgorithms.HmacSha256, SecurityAlgorithms.EcdsaSha256]);
        Should.Throw<InvalidOperationException>(() => Settings(("Auth:Authority", "https://idp.example/realms/pare"), partnerKey, ("Auth:Algorithms:0", "HS256")));
        // Without a key to sign partner tokens, the API does not start (it answered 500 at the token endpoint).
        Should.Throw<InvalidOperationException>(() => Settings(("Auth:Authority", "https://idp.example/realms/pare"))).Message.ShouldContain("Partners:TokenSigningKey");
    }
}
