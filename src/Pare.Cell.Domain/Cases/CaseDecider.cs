using Pare.Cell.Domain.Common;

namespace Pare.Cell.Domain.Cases;

/// <summary>Commands on a case, decided without I/O: time and actor come in the command.</summary>
public abstract record CaseCommand(Actor By, DateTimeOffset Now);

public sealed record OpenCase(
    Guid CaseId,
    MinorIdentity Minor,
    Placement Placement,
    string AssignedWorkerId,
    Actor By,
    DateTimeOffset Now) : CaseCommand(By, Now);

public static class CaseDecider
{
    public static IReadOnlyList<ICaseEvent> Decide(CaseCommand command, Case? state) => command switch
    {
        OpenCase open => Open(open, state),
        _ => throw new InvalidOperationException($"No decision for {command.GetType().Name}."),
    };

    private static ICaseEvent[] Open(OpenCase command, Case? state)
    {
        if (state is not null) throw new RefusedException(CaseRefusals.AlreadyOpened);
        return
        [
            new CaseOpened(
                command.CaseId,
                CaseReference.For(command.CaseId),
                command.Minor,
                command.Placement,
                command.AssignedWorkerId,
                Provenance.Now(command.By, command.Now)),
        ];
    }
}

public static class CaseRefusals
{
    public static readonly Refusal AlreadyOpened = new(
        "case-already-opened",
        new("This case has already been opened.", "Ce dossier est déjà ouvert."));
}
