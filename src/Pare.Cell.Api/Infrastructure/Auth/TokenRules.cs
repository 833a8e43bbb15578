using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Pare.Cell.Api.Infrastructure.Auth;

/// <summary>
/// What a token must say, beyond a valid signature, issuer and audience — whoever signed it (our
/// key or the identity provider). Each rule refused is a 401, never a 500 further down:
/// <list type="bullet">
/// <item><c>exp</c> and <c>iat</c> present; the lifetime the token itself declares (<c>exp − iat</c>,
/// and <c>exp − nbf</c> when <c>nbf</c> is present) at most a day, 15 minutes for a partner's;
/// <c>iat</c> not in the future.</item>
/// <item>a non-empty <c>sub</c> (recorded on every event and journal entry).</item>
/// <item>at most one <c>cell</c>, in the cell-id format (<see cref="CellIds"/>): never empty, never a
/// reserved tenant such as Marten's <c>*DEFAULT*</c>. No cell at all is a token of no cell: every
/// cell route answers it 403 (the deployment's <c>operator</c> has none).</item>
/// </list>
/// The signing algorithm is checked before, by <see cref="AuthSettings.Algorithms"/>.
/// </summary>
public static class TokenRules
{
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(1);
    public static readonly TimeSpan MaxPartnerLifetime = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>Why the token is refused, or null when it holds.</summary>
    public static string? Refusal(SecurityToken token, ClaimsPrincipal user, DateTimeOffset now)
    {
        if (token is not JsonWebToken jwt) return "Unexpected token type.";
        if (!jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Exp, out var exp)) return "Token without exp.";
        if (!jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Iat, out var iat)) return "Token without iat.";
        if (DateTimeOffset.FromUnixTimeSeconds(iat) > now + ClockSkew) return "Token issued in the future.";
        var longest = user.IsInRole(Partners.PartnerClaims.Role) ? MaxPartnerLifetime : MaxLifetime;
        if (TimeSpan.FromSeconds(exp - iat) > longest) return "Token lifetime too long.";
        if (jwt.TryGetPayloadValue<long>(JwtRegisteredClaimNames.Nbf, out var nbf) && TimeSpan.FromSeconds(exp - nbf) > longest)
            return "Token lifetime too long.";

        if (string.IsNullOrWhiteSpace(user.FindFirst(Claims.Subject)?.Value)) return "Token without subject.";
        var cells = user.FindAll(Claims.Cell).ToList();
        if (cells.Count > 1) return "Token with several cells.";
        if (cells.Count == 1 && !CellIds.IsValid(cells[0].Value)) return "Token with an invalid cell.";
        return null;
    }

    /// <summary>A partner's token: the partner role and no other (what the partner signing key may sign).</summary>
    public static bool IsPartnerOnly(ClaimsPrincipal user)
    {
        var roles = user.FindAll(Claims.Role).Select(c => c.Value).ToList();
        return roles.Count > 0 && roles.All(r => r == Partners.PartnerClaims.Role);
    }
}

/// <summary>
/// A cell id — the tenant of every row of the cell — is 1 to 63 lower-case letters, digits and
/// hyphens, starting with a letter or a digit: no empty tenant, and none of the reserved ones
/// (Marten's <c>*DEFAULT*</c>…) can be named.
/// </summary>
public static partial class CellIds
{
    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial System.Text.RegularExpressions.Regex Format();

    public static bool IsValid(string? cellId) => cellId is not null && Format().IsMatch(cellId);
}
