using JasperFx;
using Marten;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Policies;

namespace Pare.Cell.Api.Policies;

/// <summary>Appends a policy change with optimistic concurrency on the cell's policy stream.</summary>
public sealed class PolicyStreams(IDocumentSession session, CurrentUser user, TimeProvider clock)
{
    public async Task<CellPolicyView> AppendAsync(long? expectedVersion, Func<Provenance, object> change, CancellationToken cancellationToken)
    {
        var stream = await session.Events.FetchForWriting<CellPolicy>(CellPolicy.StreamId, cancellationToken);
        if (expectedVersion is { } expected && expected != (stream.StartingVersion ?? 0))
            throw new ConcurrencyException($"Expected policy version {expected}, found {stream.StartingVersion}.", typeof(CellPolicy), CellPolicy.StreamId);
        var @event = change(Provenance.Now(user.Actor, clock.GetUtcNow()));
        stream.AppendOne(@event);
        await session.SaveChangesAsync(cancellationToken);
        var policy = CellPolicy.Evolve(stream.Aggregate ?? new CellPolicy(), @event);
        policy.Version = stream.CurrentVersion ?? 1;
        return CellPolicyView.Of(policy);
    }
}
