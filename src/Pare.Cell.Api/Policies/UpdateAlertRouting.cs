using FluentValidation;
using Mediator;
using Pare.Cell.Api.Infrastructure.Messaging;
using Pare.Cell.Domain.Policies;

namespace Pare.Cell.Api.Policies;

/// <summary>The routing as validated from <see cref="AlertRoutingInput"/>, with the policy version read.</summary>
public sealed record UpdateAlertRouting(
    string? ProsecutorEmail, OnCallContact? OnCall, string? HeadEmail, string? WebhookUrl, string? WebhookSecret,
    int? DeliveryDeadlineMinutes, int? AcknowledgementDeadlineMinutes, long? ExpectedVersion) : ICommand<CellPolicyView>;

/// <summary>The body of <c>PUT /api/v1/policy/alert-routing</c>: where alerts go and whom to call.</summary>
public sealed class AlertRoutingInputValidator : AbstractValidator<AlertRoutingInput>
{
    public AlertRoutingInputValidator(Infrastructure.Http.OutboundPolicy outbound)
    {
        RuleFor(r => r.ProsecutorEmail).NotEmpty().Mailbox();
        RuleFor(r => r.HeadEmail).NotEmpty().Mailbox();
        RuleFor(r => r.OnCall).NotNull().ChildRules(onCall =>
        {
            onCall.RuleFor(c => c!.Name).NotEmpty().MaximumLength(200);
            onCall.RuleFor(c => c!.Phone).NotEmpty().MaximumLength(40);
            onCall.RuleFor(c => c!.Email).Mailbox();
        });
        RuleFor(r => r.WebhookUrl).WebhookUrl(outbound);
        RuleFor(r => r.WebhookSecret).MaximumLength(200);
        RuleFor(r => r.WebhookSecret).NotEmpty().WebhookSecret().When(r => r.WebhookUrl is not null, "`webhookUrl` is set");
        RuleFor(r => r.DeliveryDeadlineMinutes).InclusiveBetween(1, 120);
        RuleFor(r => r.AcknowledgementDeadlineMinutes).InclusiveBetween(5, 24 * 60);
    }
}

public sealed class UpdateAlertRoutingHandler(PolicyStreams policies) : ICommandHandler<UpdateAlertRouting, CellPolicyView>
{
    public async ValueTask<CellPolicyView> Handle(UpdateAlertRouting r, CancellationToken cancellationToken)
    {
        var routing = new AlertRouting(r.ProsecutorEmail, r.OnCall, r.HeadEmail, r.WebhookUrl, r.WebhookSecret,
            r.DeliveryDeadlineMinutes ?? AlertRouting.Unconfigured.DeliveryDeadlineMinutes,
            r.AcknowledgementDeadlineMinutes ?? AlertRouting.Unconfigured.AcknowledgementDeadlineMinutes);
        return await policies.AppendAsync(r.ExpectedVersion, provenance => new AlertRoutingChanged(routing, provenance), cancellationToken);
    }
}
