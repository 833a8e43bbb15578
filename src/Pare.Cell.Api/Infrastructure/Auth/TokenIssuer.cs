using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Pare.Cell.Api.Infrastructure.Auth;

/// <summary>
/// Mints HS256 tokens with the shared signing key: development tokens for the demo cell, and the
/// tests' tokens. Production tokens come from the identity provider, except partners': those are
/// signed with the partner key (<see cref="AuthSettings.PartnerSigningKey"/>), which an authority requires.
/// </summary>
public sealed class TokenIssuer(AuthSettings settings, TimeProvider clock)
{
    public const string DemoCell = "demo-cell";

    public string Issue(string userId, string cellId, IEnumerable<string> roles, TimeSpan? lifetime = null, string? name = null) =>
        Sign(new ClaimsIdentity(
            [
                new Claim(Claims.Subject, userId),
                new Claim(Claims.Name, name ?? userId),
                new Claim(Claims.Cell, cellId),
                .. roles.Select(r => new Claim(Claims.Role, r)),
            ]), lifetime ?? TimeSpan.FromHours(12));

    /// <summary>A deployment operator's token: no cell, the operator role only.</summary>
    public string IssueOperator(string userId, TimeSpan? lifetime = null) =>
        Sign(new ClaimsIdentity([new Claim(Claims.Subject, userId), new Claim(Claims.Name, userId), new Claim(Claims.Role, Roles.Operator)]),
            lifetime ?? TimeSpan.FromHours(12));

    public static readonly TimeSpan PartnerTokenLifetime = TimeSpan.FromMinutes(15);

    /// <summary>A short-lived token for a partner's API client, with its granted scopes.</summary>
    /// <param name="grantedBy">Who issued the client's secret (absent for clients issued before it was recorded).</param>
    public string IssuePartner(string clientId, string cellId, Guid partnerId, IEnumerable<string> scopes, string? grantedBy = null) =>
        Sign(new ClaimsIdentity(
            [
                new Claim(Claims.Subject, clientId),
                new Claim(Claims.Cell, cellId),
                new Claim(Claims.Role, Partners.PartnerClaims.Role),
                new Claim(Partners.PartnerClaims.PartnerId, partnerId.ToString()),
                new Claim(Partners.PartnerClaims.Scope, string.Join(' ', scopes)),
                .. grantedBy is null ? Array.Empty<Claim>() : [new Claim(Partners.PartnerClaims.GrantedBy, grantedBy)],
            ]), PartnerTokenLifetime, settings.PartnerSigningKey);

    private string Sign(ClaimsIdentity identity, TimeSpan lifetime, SecurityKey? signingKey = null)
    {
        var key = signingKey ?? settings.SigningKey ?? throw new InvalidOperationException("No signing key: tokens come from the identity provider.");
        var now = clock.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            Subject = identity,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>Printed by the run command in Development: one ready-to-paste token per role.</summary>
    public IEnumerable<(string Role, string Token)> DemoTokens() =>
        new[] { Roles.Worker, Roles.Head, Roles.Admin }.Select(role => (role, Issue($"demo-{role}", DemoCell, [role], name: $"Demo {role}")))
            .Append((Roles.Operator, IssueOperator("demo-operator")));
}
