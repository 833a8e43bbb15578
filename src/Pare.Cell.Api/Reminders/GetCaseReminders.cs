using Marten;
using Mediator;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Database;
using Pare.Cell.Api.Policies;
using Pare.Cell.Api.Referrals;
using Pare.Cell.Domain.Reminders;

namespace Pare.Cell.Api.Reminders;

/// <summary>Every open reminder of one case; journaled.</summary>
public sealed record GetCaseReminders(Guid CaseId) : IQuery<IReadOnlyList<ReminderItem>?>;

public sealed class GetCaseRemindersHandler(IQuerySession session, JournaledCaseReads cases, CurrentUser user) : IQueryHandler<GetCaseReminders, IReadOnlyList<ReminderItem>?>
{
    public async ValueTask<IReadOnlyList<ReminderItem>?> Handle(GetCaseReminders query, CancellationToken cancellationToken)
    {
        var state = await cases.ReadAsync(user, query.CaseId, JournalActions.ReadReminders, cancellationToken);
        if (state is null) return null;
        var settings = (await CellPolicies.LoadAsync(session, cancellationToken)).EffectiveReminders;
        var referrals = await ReferralsAwaitingAnswer.ForCaseAsync(session, state.Id, cancellationToken);
        return [.. ReminderRules.Derive(state, settings, referrals).OrderBy(r => r.EffectiveDueAt).Select(r => ReminderItem.Of(r, state))];
    }
}
