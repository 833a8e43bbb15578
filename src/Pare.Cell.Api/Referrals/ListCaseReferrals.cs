using Marten;
using Mediator;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Database;
using Pare.Cell.Domain.Referrals;

namespace Pare.Cell.Api.Referrals;

public sealed record ListCaseReferrals(Guid CaseId) : IQuery<IReadOnlyList<ReferralView>?>;

public sealed class ListCaseReferralsHandler(IQuerySession session, JournaledCaseReads cases, CurrentUser user) : IQueryHandler<ListCaseReferrals, IReadOnlyList<ReferralView>?>
{
    public async ValueTask<IReadOnlyList<ReferralView>?> Handle(ListCaseReferrals query, CancellationToken cancellationToken)
    {
        if (await cases.ReadAsync(user, query.CaseId, JournalActions.ListReferrals, cancellationToken) is null) return null;
        var referrals = await session.Query<Referral>().Where(r => r.CaseId == query.CaseId).ToListAsync(cancellationToken);
        var days = await ReferralView.FollowUpWorkingDaysAsync(session, cancellationToken);
        return [.. referrals.OrderBy(r => r.DraftedAt).Select(r => ReferralView.Of(r, days))];
    }
}
