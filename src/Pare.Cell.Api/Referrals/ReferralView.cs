using Marten;
using Pare.Cell.Domain.Referrals;

namespace Pare.Cell.Api.Referrals;

/// <summary>A referral as the cell sees it.</summary>
public sealed record ReferralView(Guid Id, Guid CaseId, Guid PartnerId, string Reason, IReadOnlyList<SharedPart> Shares, SharingGround Ground,
    ReferralStatus Status, string SentBy, DateTimeOffset DraftedAt, DateTimeOffset? SentAt, DateTimeOffset? ReceivedAt, DateTimeOffset? AcceptedAt,
    DateTimeOffset? ClosedAt, string? DeclineReason, string? LastNote, DateTimeOffset? FollowUpDueAt, long Version)
    : Infrastructure.Database.IJournaledAnswer
{
    Guid Infrastructure.Database.IJournaledAnswer.JournaledCaseId => CaseId;

    /// <param name="followUpWorkingDays">The cell's delay (<see cref="FollowUpWorkingDaysAsync"/>).</param>
    public static ReferralView Of(Referral r, int followUpWorkingDays) => new(r.Id, r.CaseId, r.PartnerId, r.Reason, r.Shares, r.Ground, r.Status, r.SentBy, r.DraftedAt, r.SentAt,
        r.ReceivedAt, r.AcceptedAt, r.ClosedAt, r.DeclineReason, r.LastNote, r.FollowUpDueAt(followUpWorkingDays), r.Version);

    /// <summary>The cell's delay before an unanswered referral is followed up, as its reminders use it.</summary>
    public static async Task<int> FollowUpWorkingDaysAsync(IQuerySession session, CancellationToken cancellationToken) =>
        (await Policies.CellPolicies.LoadAsync(session, cancellationToken)).EffectiveReminders.ReferralFollowUpWorkingDays;
}
