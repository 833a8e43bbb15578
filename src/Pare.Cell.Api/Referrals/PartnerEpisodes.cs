using Marten;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Referrals;

namespace Pare.Cell.Api.Referrals;

/// <summary>
/// A partner linked by an accepted referral reports a disappearance or a return for the minor:
/// it lands as the same episode events a worker records, attributed to the partner's client.
/// </summary>
public sealed class PartnerEpisodes(IDocumentSession session, IHttpContextAccessor http, CurrentUser user, CaseWriter cases)
{
    public async Task<CaseWrite> DecideAsync(Guid referralId, Func<Actor, DateTimeOffset, CaseCommand> command, CancellationToken cancellationToken)
    {
        var referral = await PartnerReferrals.OwnAsync(session, http.HttpContext!.User, referralId, cancellationToken);
        if (referral is null || !referral.LinksPartner) throw new RefusedException(ReferralRefusals.NoLinkingReferral);
        return await cases.DecideAsync(session, Actor.Partner(user.UserId), referral.CaseId, null, command, cancellationToken);
    }
}
