using JasperFx.Events;
using Marten.Events.Aggregation;
using Pare.Cell.Domain.Cases;

namespace Pare.Cell.Api.Cases;

/// <summary>
/// Keeps the <see cref="Case"/> snapshot current in the same transaction as each append
/// (inline), so a case read right after a write sees it, and a write loads one row.
/// </summary>
public sealed class CaseProjection : SingleStreamProjection<Case, Guid>
{
    public override Case? Evolve(Case? snapshot, Guid id, IEvent e) =>
        e.Data is ICaseEvent caseEvent ? Case.Evolve(snapshot, caseEvent, e.Version) : snapshot;
}
