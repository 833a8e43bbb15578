using FluentValidation;
using Marten;
using Mediator;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Policies;
using Pare.Cell.Api.Referrals;
using Pare.Cell.Domain.Reminders;

namespace Pare.Cell.Api.Reminders;

/// <summary>Put a reminder off, with the reason, for at most 7 days.</summary>
public sealed record SnoozeReminderRequest(DateTimeOffset? Until, string? Reason) : CaseRequest, ICommand<EntryRecorded>
{
    [System.Text.Json.Serialization.JsonIgnore] public string Key { get; init; } = "";
}

public sealed class SnoozeReminderValidator : AbstractValidator<SnoozeReminderRequest>
{
    public SnoozeReminderValidator()
    {
        RuleFor(r => r.Until).NotEmpty();
        RuleFor(r => r.Reason).NotEmpty().MaximumLength(1000);
    }
}

public sealed class SnoozeReminderHandler(CaseStreams cases, IQuerySession session) : ICommandHandler<SnoozeReminderRequest, EntryRecorded>
{
    public async ValueTask<EntryRecorded> Handle(SnoozeReminderRequest r, CancellationToken cancellationToken)
    {
        var settings = (await CellPolicies.LoadAsync(session, cancellationToken)).EffectiveReminders;
        var referrals = await ReferralsAwaitingAnswer.ForCaseAsync(session, r.CaseId, cancellationToken);
        var written = await cases.DecideAsync(r.CaseId, r.ExpectedVersion,
            (by, now) => new SnoozeReminder(r.Key, r.Until!.Value, r.Reason!.Trim(), settings, referrals, by, now), cancellationToken);
        return EntryRecorded.Of(written, null);
    }
}
