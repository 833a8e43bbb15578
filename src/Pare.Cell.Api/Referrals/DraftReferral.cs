using Pare.Cell.Api.Infrastructure.Messaging;
using FluentValidation;
using Marten;
using Mediator;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Partners;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Referrals;

namespace Pare.Cell.Api.Referrals;

/// <summary>Draft a referral of the minor to a partner: what it shares, and on which ground (consent or legal basis).</summary>
/// <param name="Ground">Consent or legal basis, as the referral's <c>ground</c> states it; may be stated later on the draft.</param>
/// <param name="MinorConsented">Deprecated: send <c>ground.minorConsented</c>.</param>
/// <param name="GuardianConsented">Deprecated: send <c>ground.guardianConsented</c>.</param>
/// <param name="LegalBasis">Deprecated: send <c>ground.legalBasis</c>.</param>
public sealed record DraftReferralRequest(
    Guid? PartnerId,
    string? Reason,
    IReadOnlyList<SharedPart>? Shares,
    SharingGroundInput? Ground,
    [property: Obsolete("Send ground.minorConsented: kept for v1 clients.")] bool? MinorConsented,
    [property: Obsolete("Send ground.guardianConsented: kept for v1 clients.")] bool? GuardianConsented,
    [property: Obsolete("Send ground.legalBasis: kept for v1 clients.")] string? LegalBasis)
    : CaseRequest, ICommand<ReferralView>
{
    /// <summary>The ground as sent: in <c>ground</c>, or in the fields v1 first had for it.</summary>
#pragma warning disable CS0618 // the deprecated fields are read here, and only here
    public SharingGround SharingGround() =>
        Ground?.ToGround() ?? new SharingGroundInput(MinorConsented, GuardianConsented, LegalBasis).ToGround();

    public bool HasFlatGround => MinorConsented is not null || GuardianConsented is not null || LegalBasis is not null;
#pragma warning restore CS0618
}

public sealed class DraftReferralValidator : AbstractValidator<DraftReferralRequest>
{
    public DraftReferralValidator()
    {
        RuleFor(r => r.PartnerId).NotEmpty();
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(4000);
        RuleFor(r => r.Shares).NotEmpty().MaximumCount(Enum.GetValues<SharedPart>().Length);
        RuleForEach(r => r.Shares).IsInEnum();
        RuleFor(r => r.Ground).SetValidator(new SharingGroundInputValidator()!);
        RuleFor(r => r.Ground).Null().When(r => r.HasFlatGround, "the deprecated `minorConsented`, `guardianConsented` or `legalBasis` are sent")
            .WithMessage(_ => new Bilingual("Give the ground once: in ground only.", "Indiquez le fondement une seule fois : dans ground seulement.").ToString());
#pragma warning disable CS0618 // validated while v1 clients may send them
        RuleFor(r => r.LegalBasis).MaximumLength(2000);
#pragma warning restore CS0618
    }
}

public sealed class DraftReferralHandler(IDocumentSession session, CurrentUser user, ReferralWriter referrals, TimeProvider clock) : ICommandHandler<DraftReferralRequest, ReferralView>
{
    public async ValueTask<ReferralView> Handle(DraftReferralRequest r, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<Case>(r.CaseId, cancellationToken) is null) throw new RefusedException(CaseRefusals.CaseNotFound);
        if (await session.LoadAsync<Partner>(r.PartnerId!.Value, cancellationToken) is null) throw new RefusedException(PartnerRefusals.NotFound);
        var id = Guid.CreateVersion7(clock.GetUtcNow());
        var ground = r.SharingGround();
        var referral = await referrals.DecideAsync(session, user.Actor, id, null,
            (by, now) => new DraftReferral(id, r.CaseId, r.PartnerId.Value, r.Reason!.Trim(), [.. r.Shares!.Distinct()], ground, by, now), cancellationToken);
        return ReferralView.Of(referral, await ReferralView.FollowUpWorkingDaysAsync(session, cancellationToken));
    }
}
