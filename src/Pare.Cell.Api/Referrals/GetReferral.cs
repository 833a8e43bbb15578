using Marten;
using Mediator;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Database;
using Pare.Cell.Domain.Referrals;

namespace Pare.Cell.Api.Referrals;

public sealed record GetReferral(Guid ReferralId) : IQuery<ReferralView?>;

public sealed class GetReferralHandler(IQuerySession session, AccessJournal journal, CurrentUser user) : IQueryHandler<GetReferral, ReferralView?>
{
    public async ValueTask<ReferralView?> Handle(GetReferral query, CancellationToken cancellationToken)
    {
        var referral = await session.LoadAsync<Referral>(query.ReferralId, cancellationToken);
        if (referral is null) return null;
        await journal.RecordAsync(user, referral.CaseId, JournalActions.ReadReferral, cancellationToken);
        return ReferralView.Of(referral, await ReferralView.FollowUpWorkingDaysAsync(session, cancellationToken));
    }
}
