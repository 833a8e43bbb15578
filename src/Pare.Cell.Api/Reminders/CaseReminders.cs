using FluentValidation;
using Marten;
using Mediator;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Database;
using Pare.Cell.Api.Policies;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Reminders;

namespace Pare.Cell.Api.Reminders;

/// <summary>Every open reminder of one case; journaled.</summary>
public sealed record GetCaseReminders(Guid CaseId) : IQuery<IReadOnlyList<ReminderItem>?>;

public sealed class GetCaseRemindersHandler(IQuerySession session, AccessJournal journal, CurrentUser user) : IQueryHandler<GetCaseReminders, IReadOnlyList<ReminderItem>?>
{
    public async ValueTask<IReadOnlyList<ReminderItem>?> Handle(GetCaseReminders query, CancellationToken cancellationToken)
    {
        var state = await session.LoadAsync<Case>(query.CaseId, cancellationToken);
        if (state is null) return null;
        await journal.RecordAsync(user, state.Id, JournalActions.ReadReminders, cancellationToken);
        var settings = (await CellPolicies.LoadAsync(session, cancellationToken)).EffectiveReminders;
        return [.. ReminderRules.Derive(state, settings).OrderBy(r => r.EffectiveDueAt).Select(r => ReminderItem.Of(r, state))];
    }
}

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
        var written = await cases.DecideAsync(r.CaseId, r.ExpectedVersion, (by, now) => new SnoozeReminder(r.Key, r.Until!.Value, r.Reason!.Trim(), settings, by, now), cancellationToken);
        return EntryRecorded.Of(written, null);
    }
}

/// <summary>The head records a case review (completes the repeated-runaways reminder).</summary>
public sealed record ReviewCaseRequest(string? Note) : CaseRequest, ICommand<EntryRecorded>;

public sealed class ReviewCaseValidator : AbstractValidator<ReviewCaseRequest>
{
    public ReviewCaseValidator() => RuleFor(r => r.Note).MaximumLength(4000);
}

public sealed class ReviewCaseHandler(CaseStreams cases) : ICommandHandler<ReviewCaseRequest, EntryRecorded>
{
    public async ValueTask<EntryRecorded> Handle(ReviewCaseRequest r, CancellationToken cancellationToken)
    {
        var written = await cases.DecideAsync(r.CaseId, r.ExpectedVersion, (by, now) => new ReviewCase(r.Note, by, now), cancellationToken);
        return EntryRecorded.Of(written, null);
    }
}
