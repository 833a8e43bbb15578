using Marten;
using Pare.Cell.Api.Partners;
using Pare.Cell.Domain.Referrals;

namespace Pare.Cell.Api.Referrals;

public static class PartnerReferrals
{
    /// <summary>The referral if it is addressed to the calling partner and was sent to it; null otherwise (a 404, whatever the reason).</summary>
    public static async Task<Referral?> OwnAsync(IQuerySession session, System.Security.Claims.ClaimsPrincipal partner, Guid referralId, CancellationToken cancellationToken)
    {
        var referral = await session.LoadAsync<Referral>(referralId, cancellationToken);
        return referral is not null && referral.PartnerId == partner.Partner() && referral.WasSent ? referral : null;
    }
}
