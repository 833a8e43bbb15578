using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;
using Pare.Cell.Api.Staff;
using Pare.Cell.Domain.Staff;

namespace Pare.Cell.Api.OnCall;

/// <summary>The cell's rota, kept inline with its stream (one per cell).</summary>
public sealed class OnCallRotaProjection : SingleStreamProjection<OnCallRota, Guid>
{
    public OnCallRotaProjection() => IncludeType<OnCallRotaDefined>();

    public override OnCallRota? Evolve(OnCallRota? snapshot, Guid id, IEvent e) => OnCallRota.Evolve(snapshot, e.Data);
}

/// <summary>
/// Who is on call in a cell, with their contact: the rota read with the directory, so that
/// someone deactivated is nobody (their shifts are gaps) and whoever is named can be called.
/// </summary>
public sealed record OnCallPicture(OnCallRota Rota, IReadOnlyDictionary<string, StaffMember> Staff)
{
    public bool Reachable(string staffId) => Staff.TryGetValue(staffId, out var member) && member.Active;

    public IReadOnlyList<OnCallShift> Shifts(DateTimeOffset from, DateTimeOffset until) => OnCallSchedule.Between(Rota, from, until, Reachable);

    /// <summary>The person on call at this instant, if anyone reachable.</summary>
    public StaffMember? At(DateTimeOffset instant) => OnCallSchedule.At(Rota, instant, Reachable) is { } id ? Staff[id] : null;

    /// <summary>Whether the cell has anyone on its rota at all (none: nobody is ever on call).</summary>
    public bool InUse => Rota.Weekly.Count + Rota.Exceptions.Count > 0;

    /// <summary>Who on call also holds a reminder about a missing minor due then (see <see cref="OnCallSchedule.HolderOfMissingMinorReminder"/>).</summary>
    public string? HolderOfMissingMinorReminder(DateTimeOffset dueAt, DateTimeOffset now) =>
        InUse ? OnCallSchedule.HolderOfMissingMinorReminder(Rota, dueAt, now, Reachable) : null;
}

public sealed class OnCallDuty(StaffDirectory directory)
{
    public async Task<OnCallPicture> ReadAsync(IQuerySession session, CancellationToken cancellationToken)
    {
        var rota = await session.LoadAsync<OnCallRota>(OnCallRota.StreamId, cancellationToken) ?? new OnCallRota();
        var staff = rota.Weekly.Count + rota.Exceptions.Count == 0 ? [] : (await directory.ListAsync(session.TenantId, cancellationToken)).ToDictionary(m => m.Id);
        return new OnCallPicture(rota, staff);
    }
}
