using Marten;
using Mediator;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Common;

namespace Pare.Cell.Api.Staff;

/// <summary>
/// A head deactivates someone who has left (or reactivates them). Each case they follow records it
/// (<see cref="AssignedWorkerDeactivated"/>): the case shows nobody reachable, the worker's reminders
/// go to the head with one more, to reassign it. Idempotent: sent again after an interruption, it
/// records what is still missing.
/// </summary>
public sealed record ChangeAvailability(string StaffId, bool Active) : ICommand<StaffMember?>;

public sealed class ChangeAvailabilityHandler(StaffDirectory directory, CurrentUser user, IQuerySession session, IDocumentStore store, CaseWriter cases)
    : ICommandHandler<ChangeAvailability, StaffMember?>
{
    public async ValueTask<StaffMember?> Handle(ChangeAvailability r, CancellationToken cancellationToken)
    {
        if (!r.Active && r.StaffId == user.UserId) throw new RefusedException(StaffRefusals.NotYourself);
        var member = await directory.SetActiveAsync(user.CellId, r.StaffId, r.Active, cancellationToken);
        if (member is null) return null;
        var followed = await session.Query<Case>().Where(c => c.AssignedWorkerId == r.StaffId && c.ArchivedAt == null)
            .Select(c => c.Id).ToListAsync(cancellationToken);
        foreach (var caseId in followed)
        {
            await using var write = store.LightweightSession(user.CellId);
            await cases.DecideAsync(write, user.Actor, caseId, null, (by, now) => new RecordWorkerAvailability(r.StaffId, r.Active, by, now), cancellationToken);
        }
        return member;
    }
}

public static class StaffRefusals
{
    public static readonly Refusal NotYourself = new("cannot-deactivate-yourself",
        new("A head cannot deactivate themselves: another head does it.", "Une cheffe ou un chef de service ne peut pas se désactiver : une autre personne le fait."));

    public static readonly Refusal Deactivated = new("worker-deactivated",
        new("This person is deactivated in the staff directory: assign the case to someone reachable.",
            "Cette personne est désactivée dans l'annuaire : attribuez le dossier à une personne joignable."), RefusalKind.Unprocessable);
}
