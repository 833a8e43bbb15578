using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;
using Pare.Cell.Domain.Policies;

namespace Pare.Cell.Api.Policies;

/// <summary>The cell's current policy, kept inline with its stream (one per cell).</summary>
public sealed class CellPolicyProjection : SingleStreamProjection<CellPolicy, Guid>
{
    // Only the policy's own events: without this allow-list every case event would write a
    // CellPolicy document under the case's id.
    public CellPolicyProjection()
    {
        IncludeType<WorryingCriteriaChanged>();
        IncludeType<AlertRoutingChanged>();
        IncludeType<ReminderSettingsChanged>();
    }

    public override CellPolicy? Evolve(CellPolicy? snapshot, Guid id, IEvent e) => CellPolicy.Evolve(snapshot, e.Data);
}

public static class CellPolicies
{
    /// <summary>The policy in force in the session's cell: the defaults until a head changes them.</summary>
    public static async Task<CellPolicy> LoadAsync(IQuerySession session, CancellationToken cancellationToken) =>
        await session.LoadAsync<CellPolicy>(CellPolicy.StreamId, cancellationToken) ?? new CellPolicy();
}
