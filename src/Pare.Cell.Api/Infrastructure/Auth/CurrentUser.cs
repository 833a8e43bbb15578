using System.Security.Claims;
using Pare.Cell.Domain.Common;

namespace Pare.Cell.Api.Infrastructure.Auth;

/// <summary>The authenticated caller of the current request, read from the token's claims.</summary>
public sealed class CurrentUser(IHttpContextAccessor accessor)
{
    private ClaimsPrincipal Principal =>
        accessor.HttpContext?.User ?? throw new InvalidOperationException("No request in progress.");

    public string UserId => Principal.FindFirstValue(Claims.Subject) ?? throw new InvalidOperationException("Token without subject.");

    /// <summary>The caller's cell: the tenant of every session the request opens.</summary>
    public string CellId => Principal.FindFirstValue(Claims.Cell) ?? throw new InvalidOperationException("Token without cell.");

    public bool IsHead => Principal.IsInRole(Roles.Head);

    /// <summary>A partner client's: who issued its secret (journaled beside the client). Null for cell members.</summary>
    public string? GrantedBy => Principal.FindFirstValue(Partners.PartnerClaims.GrantedBy);

    public Actor Actor => Actor.Member(UserId);
}
