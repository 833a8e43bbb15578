using FluentValidation;
using Marten;
using Mediator;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Domain.Referrals;

namespace Pare.Cell.Api.Referrals;

/// <summary>
/// The ground a draft referral is to be sent on, stated after drafting: the minor's or a guardian's consent
/// obtained since, or the legal basis for sharing without it (art. L226-2-2 CASF). Replaces the draft's ground;
/// the same shape as the referral's <c>ground</c>. Only a draft: a sent referral keeps the ground it was sent on.
/// </summary>
/// <param name="LegalBasis">Why sharing without consent is lawful, when it is: at most 2000 characters.</param>
public sealed record SharingGroundRequest(bool? MinorConsented, bool? GuardianConsented, string? LegalBasis) : ICommand<ReferralView>
{
    [System.Text.Json.Serialization.JsonIgnore] public Guid ReferralId { get; init; }
    [System.Text.Json.Serialization.JsonIgnore] public long? ExpectedVersion { get; init; }

    public SharingGround ToGround() => Ground(MinorConsented, GuardianConsented, LegalBasis);

    /// <summary>What a request states: no consent unless said, a blank legal basis is none.</summary>
    public static SharingGround Ground(bool? minorConsented, bool? guardianConsented, string? legalBasis) =>
        new(minorConsented ?? false, guardianConsented ?? false, string.IsNullOrWhiteSpace(legalBasis) ? null : legalBasis.Trim());
}

public sealed class SharingGroundValidator : AbstractValidator<SharingGroundRequest>
{
    public SharingGroundValidator() => RuleFor(r => r.LegalBasis).MaximumLength(2000);
}

public sealed class StateSharingGroundHandler(IDocumentSession session, CurrentUser user, ReferralWriter referrals) : ICommandHandler<SharingGroundRequest, ReferralView>
{
    public async ValueTask<ReferralView> Handle(SharingGroundRequest r, CancellationToken cancellationToken)
    {
        var referral = await referrals.DecideAsync(session, user.Actor, r.ReferralId, r.ExpectedVersion,
            (by, now) => new StateSharingGround(r.ToGround(), by, now), cancellationToken);
        return ReferralView.Of(referral, await ReferralView.FollowUpWorkingDaysAsync(session, cancellationToken));
    }
}
