using Pare.Cell.Api.Infrastructure.Messaging;
using FluentValidation;
using Marten;
using Mediator;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Referrals;

namespace Pare.Cell.Api.Referrals;

/// <summary>The partner answers: acknowledge, accept, decline (reason), progress (note), complete (note).</summary>
public sealed record AnswerReferralRequest(string? Reason, string? Note) : ICommand<PartnerReferralSummary>
{
    [System.Text.Json.Serialization.JsonIgnore] public Guid ReferralId { get; init; }
    [System.Text.Json.Serialization.JsonIgnore] public ReferralAnswer Answer { get; init; }
    /// <summary>From If-Match, when sent: stale → 412.</summary>
    [System.Text.Json.Serialization.JsonIgnore] public long? ExpectedVersion { get; init; }
}

public enum ReferralAnswer
{
    Acknowledge,
    Accept,
    Decline,
    Progress,
    Complete,
}

public sealed class AnswerReferralValidator : AbstractValidator<AnswerReferralRequest>
{
    public AnswerReferralValidator()
    {
        RuleFor(r => r.Reason).NotEmpty().When(r => r.Answer == ReferralAnswer.Decline, "declining");
        RuleFor(r => r.Note).NotEmpty().When(r => r.Answer is ReferralAnswer.Progress or ReferralAnswer.Complete, "reporting progress or completing");
        RuleFor(r => r.Reason).MaximumLength(2000);
        RuleFor(r => r.Note).MaximumLength(4000);
    }
}

public sealed class AnswerReferralHandler(IDocumentSession session, IHttpContextAccessor http, CurrentUser user, ReferralWriter referrals)
    : ICommandHandler<AnswerReferralRequest, PartnerReferralSummary>
{
    public async ValueTask<PartnerReferralSummary> Handle(AnswerReferralRequest r, CancellationToken cancellationToken)
    {
        _ = await PartnerReferrals.OwnAsync(session, http.HttpContext!.User, r.ReferralId, cancellationToken) ?? throw new RefusedException(ReferralRefusals.NotFound);
        var referral = await referrals.DecideAsync(session, Actor.Partner(user.UserId), r.ReferralId, r.ExpectedVersion, (by, now) => r.Answer switch
        {
            ReferralAnswer.Acknowledge => new AcknowledgeReferral(by, now),
            ReferralAnswer.Accept => new AcceptReferral(by, now),
            ReferralAnswer.Decline => new DeclineReferral(r.Reason!, by, now),
            ReferralAnswer.Progress => new UpdateReferralProgress(r.Note!, by, now),
            _ => (ReferralCommand)new CompleteReferral(r.Note!, by, now),
        }, cancellationToken);
        return PartnerReferralSummary.Of(referral);
    }
}
