using FluentValidation;
using Mediator;
using Pare.Cell.Domain.Policies;
using Pare.Cell.Domain.Reminders;

namespace Pare.Cell.Api.Policies;

/// <summary>The delays of the reminder rules (head, admin), as the body of <c>PUT /api/v1/policy/reminders</c>.</summary>
public sealed record UpdateReminderSettings(ReminderSettings Settings, long? ExpectedVersion) : ICommand<CellPolicyView>;

/// <summary>Each delay in range. The acknowledgement delay follows the alert routing: what is sent here is not read.</summary>
public sealed class ReminderSettingsValidator : AbstractValidator<ReminderSettings>
{
    public ReminderSettingsValidator()
    {
        RuleFor(s => s.ReturnInterviewHours).InclusiveBetween(1, 24 * 14);
        RuleFor(s => s.ContactEveryHours).InclusiveBetween(1, 72);
        RuleFor(s => s.CaseReviewEpisodes).InclusiveBetween(2, 20);
        RuleFor(s => s.CaseReviewWithinDays).InclusiveBetween(1, 365);
        RuleFor(s => s.EscalateOverdueAfterHours).InclusiveBetween(1, 24 * 14);
        RuleFor(s => s.ReferralFollowUpWorkingDays).InclusiveBetween(1, 30);
        RuleFor(s => s.AlertAcknowledgementMinutes).InclusiveBetween(0, 24 * 60); // not read here (0 when absent)
    }
}

/// <summary>The command as the console sends it: the body's rules.</summary>
public sealed class UpdateReminderSettingsValidator : AbstractValidator<UpdateReminderSettings>
{
    public UpdateReminderSettingsValidator() =>
        RuleFor(r => r.Settings).NotNull().Custom(Infrastructure.Messaging.Rules.AsBody<UpdateReminderSettings, ReminderSettings>(new ReminderSettingsValidator()));
}

public sealed class UpdateReminderSettingsHandler(PolicyStreams policies) : ICommandHandler<UpdateReminderSettings, CellPolicyView>
{
    public async ValueTask<CellPolicyView> Handle(UpdateReminderSettings r, CancellationToken cancellationToken) =>
        await policies.AppendAsync(r.ExpectedVersion, provenance => new ReminderSettingsChanged(r.Settings, provenance), cancellationToken);
}
