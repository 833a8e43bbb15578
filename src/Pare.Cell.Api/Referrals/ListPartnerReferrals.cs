using Marten;
using Mediator;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Database;
using Pare.Cell.Api.Partners;
using Pare.Cell.Domain.Referrals;

namespace Pare.Cell.Api.Referrals;

/// <summary>The referrals sent to the calling partner (drafts, even cancelled ones, are the cell's alone).</summary>
public sealed record ListPartnerReferrals : IQuery<IReadOnlyList<PartnerReferralSummary>>;

public sealed class ListPartnerReferralsHandler(IQuerySession session, IHttpContextAccessor http, AccessJournal journal, CurrentUser user)
    : IQueryHandler<ListPartnerReferrals, IReadOnlyList<PartnerReferralSummary>>
{
    public async ValueTask<IReadOnlyList<PartnerReferralSummary>> Handle(ListPartnerReferrals query, CancellationToken cancellationToken)
    {
        var partnerId = http.HttpContext!.User.Partner();
        var referrals = await session.Query<Referral>().Where(r => r.PartnerId == partnerId && r.SentAt != null).ToListAsync(cancellationToken);
        await journal.RecordAsync(user, [.. referrals.Select(r => r.CaseId).Distinct()], JournalActions.PartnerListReferrals, cancellationToken);
        return [.. referrals.OrderByDescending(r => r.SentAt).Select(PartnerReferralSummary.Of)];
    }
}
