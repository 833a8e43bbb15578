using FluentValidation;
using Marten;
using Mediator;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Domain.Referrals;

namespace Pare.Cell.Api.Referrals;

/// <summary>
/// The ground a referral is sent on: the minor's or a guardian's consent, or the legal basis for sharing without it
/// (art. L226-2-2 CASF). The same shape wherever the ground appears: a draft's <c>ground</c>, the body of
/// <c>PUT /api/v1/referrals/{id}/ground</c>, and the referral's <c>ground</c> as the API answers it.
/// </summary>
/// <param name="MinorConsented">The minor agreed to the sharing.</param>
/// <param name="GuardianConsented">A legal guardian agreed to the sharing.</param>
/// <param name="LegalBasis">Why sharing without consent is lawful, when it is.</param>
public sealed record SharingGroundInput(bool? MinorConsented, bool? GuardianConsented, string? LegalBasis)
{
    /// <summary>What the input states: no consent unless said, a blank legal basis is none.</summary>
    public SharingGround ToGround() =>
        new(MinorConsented ?? false, GuardianConsented ?? false, string.IsNullOrWhiteSpace(LegalBasis) ? null : LegalBasis.Trim());
}

public sealed class SharingGroundInputValidator : AbstractValidator<SharingGroundInput>
{
    public SharingGroundInputValidator() => RuleFor(g => g.LegalBasis).MaximumLength(2000);
}

/// <summary>
/// The ground of a draft referral, stated after drafting (consent obtained since, a legal basis written down).
/// Replaces the draft's ground. Only a draft: a sent referral keeps the ground it was sent on.
/// </summary>
public sealed record StateSharingGroundRequest(Guid ReferralId, SharingGroundInput Ground, long? ExpectedVersion) : ICommand<ReferralView>;

public sealed class StateSharingGroundHandler(IDocumentSession session, CurrentUser user, ReferralWriter referrals) : ICommandHandler<StateSharingGroundRequest, ReferralView>
{
    public async ValueTask<ReferralView> Handle(StateSharingGroundRequest r, CancellationToken cancellationToken)
    {
        var referral = await referrals.DecideAsync(session, user.Actor, r.ReferralId, r.ExpectedVersion,
            (by, now) => new StateSharingGround(r.Ground.ToGround(), by, now), cancellationToken);
        return ReferralView.Of(referral, await ReferralView.FollowUpWorkingDaysAsync(session, cancellationToken));
    }
}
