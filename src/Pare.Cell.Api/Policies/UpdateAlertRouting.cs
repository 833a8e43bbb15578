using FluentValidation;
using Mediator;
using Pare.Cell.Api.Infrastructure.Messaging;
using Pare.Cell.Domain.Policies;

namespace Pare.Cell.Api.Policies;

public sealed record UpdateAlertRouting(
    string? ProsecutorEmail, OnCallContact? OnCall, string? HeadEmail, string? WebhookUrl, string? WebhookSecret,
    int? DeliveryDeadlineMinutes, int? AcknowledgementDeadlineMinutes, long? ExpectedVersion) : ICommand<CellPolicyView>;

public sealed class UpdateAlertRoutingValidator : AbstractValidator<UpdateAlertRouting>
{
    public UpdateAlertRoutingValidator(Infrastructure.Http.OutboundPolicy outbound)
    {
        RuleFor(r => r.ProsecutorEmail).NotEmpty().Mailbox();
        RuleFor(r => r.HeadEmail).NotEmpty().Mailbox();
        RuleFor(r => r.OnCall).NotNull();
        RuleFor(r => r.OnCall!.Name).NotEmpty().MaximumLength(200).When(r => r.OnCall is not null).OverridePropertyName("onCall.name");
        RuleFor(r => r.OnCall!.Phone).NotEmpty().MaximumLength(40).When(r => r.OnCall is not null).OverridePropertyName("onCall.phone");
        RuleFor(r => r.OnCall!.Email).Mailbox().When(r => r.OnCall is not null).OverridePropertyName("onCall.email");
        RuleFor(r => r.WebhookUrl).WebhookUrl(outbound);
        RuleFor(r => r.WebhookSecret).NotEmpty().MaximumLength(200).WebhookSecret().When(r => r.WebhookUrl is not null);
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
