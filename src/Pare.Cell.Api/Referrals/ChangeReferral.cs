using Pare.Cell.Api.Infrastructure.Messaging;
using FluentValidation;
using Marten;
using Mediator;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Domain.Referrals;

namespace Pare.Cell.Api.Referrals;

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
        RuleFor(r => r.Reason).NotEmpty().When(r => r.Change != ReferralChange.Send, "cancelling or revoking");
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
