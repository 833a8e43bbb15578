using Marten;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Http;
using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Policies;

namespace Pare.Cell.Api.Policies;

/// <summary>
/// The cell's own streams (its policy, its on-call rota): one per cell under a fixed id, changed by
/// a head with optimistic concurrency (If-Match with the version read, 0 before the first change).
/// </summary>
public sealed class CellStreams(IDocumentSession session, CurrentUser user, TimeProvider clock)
{
    public async Task<T> AppendAsync<T>(Guid streamId, long? expectedVersion, Func<Provenance, object> change, Func<T?, object, T> evolve,
        CancellationToken cancellationToken) where T : class, IVersioned
    {
        var stream = await session.Events.FetchForWriting<T>(streamId, cancellationToken);
        if (expectedVersion is { } expected && expected != (stream.StartingVersion ?? 0))
            throw new PreconditionFailedException(stream.StartingVersion ?? 0);
        var @event = change(Provenance.Now(user.Actor, clock.GetUtcNow()));
        stream.AppendOne(@event);
        await session.SaveChangesAsync(cancellationToken);
        var state = evolve(stream.Aggregate, @event);
        state.Version = stream.CurrentVersion ?? 1;
        return state;
    }
}

/// <summary>Appends a policy change with optimistic concurrency on the cell's policy stream.</summary>
public sealed class PolicyStreams(CellStreams streams)
{
    public async Task<CellPolicyView> AppendAsync(long? expectedVersion, Func<Provenance, object> change, CancellationToken cancellationToken) =>
        CellPolicyView.Of(await streams.AppendAsync<CellPolicy>(CellPolicy.StreamId, expectedVersion, change, CellPolicy.Evolve, cancellationToken));
}
