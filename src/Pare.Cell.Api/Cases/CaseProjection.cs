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
    // Only a case's own events: without this allow-list every other stream's events (a policy, a
    // referral) would load and write a Case document too.
    public CaseProjection() => IncludeType<ICaseEvent>();

    public override Case? Evolve(Case? snapshot, Guid id, IEvent e) =>
        e.Data is ICaseEvent caseEvent ? Case.Evolve(snapshot, caseEvent) : snapshot;
}
