using FluentValidation;
using Marten;
using Mediator;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Database;
using Pare.Cell.Api.Partners;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Referrals;

namespace Pare.Cell.Api.Referrals;

/// <summary>A referral as the cell sees it.</summary>
public sealed record ReferralView(Guid Id, Guid CaseId, Guid PartnerId, string Reason, IReadOnlyList<SharedPart> Shares, SharingGround Ground,
    ReferralStatus Status, string SentBy, DateTimeOffset DraftedAt, DateTimeOffset? SentAt, DateTimeOffset? ReceivedAt, DateTimeOffset? AcceptedAt,
    DateTimeOffset? ClosedAt, string? DeclineReason, string? LastNote, DateTimeOffset? FollowUpDueAt, long Version)
{
    /// <param name="followUpWorkingDays">The cell's delay (<see cref="FollowUpWorkingDaysAsync"/>).</param>
    public static ReferralView Of(Referral r, int followUpWorkingDays) => new(r.Id, r.CaseId, r.PartnerId, r.Reason, r.Shares, r.Ground, r.Status, r.SentBy, r.DraftedAt, r.SentAt,
        r.ReceivedAt, r.AcceptedAt, r.ClosedAt, r.DeclineReason, r.LastNote, r.FollowUpDueAt(followUpWorkingDays), r.Version);

    /// <summary>The cell's delay before an unanswered referral is followed up, as its reminders use it.</summary>
    public static async Task<int> FollowUpWorkingDaysAsync(IQuerySession session, CancellationToken cancellationToken) =>
        (await Policies.CellPolicies.LoadAsync(session, cancellationToken)).EffectiveReminders.ReferralFollowUpWorkingDays;
}

/// <summary>Draft a referral of the minor to a partner: what it shares, and on which ground (consent or legal basis).</summary>
public sealed record DraftReferralRequest(Guid? PartnerId, string? Reason, IReadOnlyList<SharedPart>? Shares, bool? MinorConsented, bool? GuardianConsented, string? LegalBasis)
    : CaseRequest, ICommand<ReferralView>;

public sealed class DraftReferralValidator : AbstractValidator<DraftReferralRequest>
{
    public DraftReferralValidator()
    {
        RuleFor(r => r.PartnerId).NotEmpty();
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(4000);
        RuleFor(r => r.Shares).NotEmpty();
        RuleForEach(r => r.Shares).IsInEnum();
        RuleFor(r => r.LegalBasis).MaximumLength(2000);
    }
}

public sealed class DraftReferralHandler(IDocumentSession session, CurrentUser user, ReferralWriter referrals, TimeProvider clock) : ICommandHandler<DraftReferralRequest, ReferralView>
{
    public async ValueTask<ReferralView> Handle(DraftReferralRequest r, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<Case>(r.CaseId, cancellationToken) is null) throw new RefusedException(CaseRefusals.CaseNotFound);
        if (await session.LoadAsync<Partner>(r.PartnerId!.Value, cancellationToken) is null) throw new RefusedException(PartnerRefusals.NotFound);
        var id = Guid.CreateVersion7(clock.GetUtcNow());
        var ground = new SharingGround(r.MinorConsented ?? false, r.GuardianConsented ?? false, string.IsNullOrWhiteSpace(r.LegalBasis) ? null : r.LegalBasis.Trim());
        var referral = await referrals.DecideAsync(session, user.Actor, id, null,
            (by, now) => new DraftReferral(id, r.CaseId, r.PartnerId.Value, r.Reason!.Trim(), [.. r.Shares!.Distinct()], ground, by, now), cancellationToken);
        return ReferralView.Of(referral, await ReferralView.FollowUpWorkingDaysAsync(session, cancellationToken));
    }
}

/// <summary>A change the cell makes to one of its referrals: send, cancel, revoke.</summary>
public sealed record ChangeReferralRequest(string? Reason) : ICommand<ReferralView>
{
    [System.Text.Json.Serialization.JsonIgnore] public Guid ReferralId { get; init; }
    [System.Text.Json.Serialization.JsonIgnore] public ReferralChange Change { get; init; }
    [System.Text.Json.Serialization.JsonIgnore] public long? ExpectedVersion { get; init; }
}

public enum ReferralChange
{
    Send,
    Cancel,
    Revoke,
}

public sealed class ChangeReferralValidator : AbstractValidator<ChangeReferralRequest>
{
    public ChangeReferralValidator()
    {
        RuleFor(r => r.Reason).NotEmpty().When(r => r.Change != ReferralChange.Send);
        RuleFor(r => r.Reason).MaximumLength(2000);
    }
}

public sealed class ChangeReferralHandler(IDocumentSession session, CurrentUser user, ReferralWriter referrals) : ICommandHandler<ChangeReferralRequest, ReferralView>
{
    public async ValueTask<ReferralView> Handle(ChangeReferralRequest r, CancellationToken cancellationToken)
    {
        var referral = await referrals.DecideAsync(session, user.Actor, r.ReferralId, r.ExpectedVersion, (by, now) => r.Change switch
        {
            ReferralChange.Send => new SendReferral(by, now),
            ReferralChange.Cancel => new CancelReferral(r.Reason!, by, now),
            _ => (ReferralCommand)new RevokeReferral(r.Reason!, user.IsHead, by, now),
        }, cancellationToken);
        return ReferralView.Of(referral, await ReferralView.FollowUpWorkingDaysAsync(session, cancellationToken));
    }
}

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

public sealed record ListCaseReferrals(Guid CaseId) : IQuery<IReadOnlyList<ReferralView>?>;

public sealed class ListCaseReferralsHandler(IQuerySession session, AccessJournal journal, CurrentUser user) : IQueryHandler<ListCaseReferrals, IReadOnlyList<ReferralView>?>
{
    public async ValueTask<IReadOnlyList<ReferralView>?> Handle(ListCaseReferrals query, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<Case>(query.CaseId, cancellationToken) is null) return null;
        await journal.RecordAsync(user, query.CaseId, JournalActions.ListReferrals, cancellationToken);
        var referrals = await session.Query<Referral>().Where(r => r.CaseId == query.CaseId).ToListAsync(cancellationToken);
        var days = await ReferralView.FollowUpWorkingDaysAsync(session, cancellationToken);
        return [.. referrals.OrderBy(r => r.DraftedAt).Select(r => ReferralView.Of(r, days))];
    }
}
