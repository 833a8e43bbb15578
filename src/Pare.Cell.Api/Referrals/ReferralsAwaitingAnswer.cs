using Marten;
using Pare.Cell.Domain.Referrals;

namespace Pare.Cell.Api.Referrals;

/// <summary>
/// The referrals a case's reminders depend on: sent and not yet received, or received and not yet
/// accepted (<see cref="Referral.FollowUpDueAt"/>). Read beside the case wherever its reminders are derived.
/// </summary>
public static class ReferralsAwaitingAnswer
{
    public static async Task<IReadOnlyList<Referral>> ForCaseAsync(IQuerySession session, Guid caseId, CancellationToken cancellationToken) =>
        await session.Query<Referral>()
            .Where(r => r.CaseId == caseId && (r.Status == ReferralStatus.Sent || r.Status == ReferralStatus.Received))
            .ToListAsync(cancellationToken);

    public static async Task<ILookup<Guid, Referral>> ForCasesAsync(IQuerySession session, IReadOnlyCollection<Guid> caseIds, CancellationToken cancellationToken)
    {
        if (caseIds.Count == 0) return Array.Empty<Referral>().ToLookup(r => r.CaseId);
        var ids = caseIds.ToArray();
        var referrals = await session.Query<Referral>()
            .Where(r => (r.Status == ReferralStatus.Sent || r.Status == ReferralStatus.Received) && r.CaseId.IsOneOf(ids))
            .ToListAsync(cancellationToken);
        return referrals.ToLookup(r => r.CaseId);
    }
}
