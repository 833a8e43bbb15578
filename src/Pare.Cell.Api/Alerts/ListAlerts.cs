using Marten;
using Mediator;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Database;

namespace Pare.Cell.Api.Alerts;

/// <summary>The cell's latest 500 prosecutor alerts, newest first, in one state or all (null); each case listed is journaled.</summary>
public sealed record ListAlerts(AlertStatus? Status) : IQuery<IReadOnlyList<AlertView>>;

public sealed class ListAlertsHandler(IQuerySession session, AccessJournal journal, CurrentUser user) : IQueryHandler<ListAlerts, IReadOnlyList<AlertView>>
{
    public const int Limit = 500;

    public async ValueTask<IReadOnlyList<AlertView>> Handle(ListAlerts query, CancellationToken cancellationToken)
    {
        var latest = await session.Query<AlertView>().InStatus(query.Status).OrderByDescending(a => a.RaisedAt).Take(Limit).ToListAsync(cancellationToken);
        await journal.RecordAsync(user, [.. latest.Select(a => a.CaseId).Distinct()], JournalActions.ListAlerts, cancellationToken);
        return latest;
    }
}
