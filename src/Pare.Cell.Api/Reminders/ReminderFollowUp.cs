using Marten;
using Npgsql;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Policies;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Reminders;

namespace Pare.Cell.Api.Reminders;

/// <summary>
/// A recurring job (each minute): records on each case the reminders whose time has passed
/// (<see cref="ReminderOverdue"/>) and flags to the head those still overdue past the grace period
/// (<see cref="ReminderEscalated"/>), so overdue state exists on time whether or not anyone reads.
/// Time comes from <see cref="TimeProvider"/>; recording twice is impossible (the decider checks).
/// </summary>
public sealed class ReminderFollowUp(NpgsqlDataSource dataSource, IDocumentStore store, CaseWriter cases, TimeProvider clock, ILogger<ReminderFollowUp> logger)
{
    public const string JobId = "reminder-follow-up";

    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        var table = store.Options.Schema.For<Case>();
        var open = new List<(string CellId, Guid CaseId)>();
        await using (var query = dataSource.CreateCommand($"select tenant_id, id from {table} where status <> 'Closed'"))
        await using (var reader = await query.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken)) open.Add((reader.GetString(0), reader.GetGuid(1)));

        var now = clock.GetUtcNow();
        foreach (var cell in open.GroupBy(o => o.CellId))
        {
            await using var session = store.LightweightSession(cell.Key);
            var settings = (await CellPolicies.LoadAsync(session, cancellationToken)).EffectiveReminders;
            var states = await session.LoadManyAsync<Case>(cancellationToken, cell.Select(c => c.CaseId));
            // Decided first on the snapshot just read, purely: only a case with something to
            // record is written (read again, decided again, appended with its version).
            var followUp = new FollowUpReminders(settings, Actor.System, now);
            foreach (var state in states.Where(s => ReminderDecider.Decide(followUp, s).Length > 0))
                if ((await cases.DecideAsSystemAsync(cell.Key, state.Id, (by, t) => new FollowUpReminders(settings, by, t), cancellationToken)).OfType<ReminderEscalated>().Any())
                    logger.LogInformation("Overdue reminders of case {CaseId} escalated to the head", state.Id);
        }
    }
}
