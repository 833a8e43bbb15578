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
        var ground = SharingGroundRequest.Ground(r.MinorConsented, r.GuardianConsented, r.LegalBasis);
        var referral = await referrals.DecideAsync(session, user.Actor, id, null,
            (by, now) => new DraftReferral(id, r.CaseId, r.PartnerId.Value, r.Reason!.Trim(), [.. r.Shares!.Distinct()], ground, by, now), cancellationToken);
        return ReferralView.Of(referral, await ReferralView.FollowUpWorkingDaysAsync(session, cancellationToken));
    }
}
