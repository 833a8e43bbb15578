using FluentValidation;
using Mediator;
using Pare.Cell.Domain.Policies;
using Pare.Cell.Domain.Reminders;

namespace Pare.Cell.Api.Policies;

/// <summary>The delays of the reminder rules (head, admin).</summary>
public sealed record UpdateReminderSettings(ReminderSettings? Settings, long? ExpectedVersion) : ICommand<CellPolicyView>;

public sealed class UpdateReminderSettingsValidator : AbstractValidator<UpdateReminderSettings>
{
    public UpdateReminderSettingsValidator()
    {
        RuleFor(r => r.Settings).NotNull();
        When(r => r.Settings is not null, () =>
        {
            RuleFor(r => r.Settings!.ReturnInterviewHours).InclusiveBetween(1, 24 * 14).OverridePropertyName("returnInterviewHours");
            RuleFor(r => r.Settings!.ContactEveryHours).InclusiveBetween(1, 72).OverridePropertyName("contactEveryHours");
            RuleFor(r => r.Settings!.CaseReviewEpisodes).InclusiveBetween(2, 20).OverridePropertyName("caseReviewEpisodes");
            RuleFor(r => r.Settings!.CaseReviewWithinDays).InclusiveBetween(1, 365).OverridePropertyName("caseReviewWithinDays");
            RuleFor(r => r.Settings!.EscalateOverdueAfterHours).InclusiveBetween(1, 24 * 14).OverridePropertyName("escalateOverdueAfterHours");
            RuleFor(r => r.Settings!.ReferralFollowUpWorkingDays).InclusiveBetween(1, 30).OverridePropertyName("referralFollowUpWorkingDays");
        });
    }
}

public sealed class UpdateReminderSettingsHandler(PolicyStreams policies) : ICommandHandler<UpdateReminderSettings, CellPolicyView>
{
    public async ValueTask<CellPolicyView> Handle(UpdateReminderSettings r, CancellationToken cancellationToken) =>
        await policies.AppendAsync(r.ExpectedVersion, provenance => new ReminderSettingsChanged(r.Settings!, provenance), cancellationToken);
}
