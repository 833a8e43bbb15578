using JasperFx;
using Marten;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Http;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Common;

namespace Pare.Cell.Api.Cases;

/// <summary>The new state of a case after a command, and the events that made it.</summary>
public sealed record CaseWrite(Case State, IReadOnlyList<ICaseEvent> Events)
{
    /// <summary>The stream version of the last event written (the case's new ETag).</summary>
    public long Version => State.Version;
}

/// <summary>
/// Load, decide, append: the one way a handler changes a case. Loads the inline snapshot (one
/// row), lets the pure decider decide, appends with optimistic concurrency and enlists the
/// request's idempotency key in the same transaction.
/// </summary>
public sealed class CaseStreams(IDocumentSession session, CurrentUser user, TimeProvider clock, Idempotency idempotency)
{
    public async Task<CaseWrite> StartAsync(Guid caseId, Func<Actor, DateTimeOffset, CaseCommand> command, CancellationToken cancellationToken)
    {
        var events = CaseDecider.Decide(command(user.Actor, clock.GetUtcNow()), null);
        session.Events.StartStream<Case>(caseId, events);
        idempotency.Enlist(session);
        await session.SaveChangesAsync(cancellationToken);
        return new CaseWrite(Fold(null, 0, events), events);
    }

    /// <param name="expectedVersion">From If-Match: stale → 412. Null: still safe against a racing writer (409).</param>
    public async Task<CaseWrite> DecideAsync(Guid caseId, long? expectedVersion, Func<Actor, DateTimeOffset, CaseCommand> command, CancellationToken cancellationToken)
    {
        // Fetched without the expected version first, so that another cell's case (or none) is a
        // 404, not a 412; the append below still fails if the stream moved after this read.
        var stream = await session.Events.FetchForWriting<Case>(caseId, cancellationToken);
        var state = stream.Aggregate ?? throw new RefusedException(CaseRefusals.CaseNotFound);
        if (expectedVersion is { } expected && expected != stream.StartingVersion)
            throw new ConcurrencyException($"Expected version {expected}, found {stream.StartingVersion}.", typeof(Case), caseId);

        var events = CaseDecider.Decide(command(user.Actor, clock.GetUtcNow()), state);
        if (events.Count == 0) return new CaseWrite(state, events);

        stream.AppendMany(events);
        idempotency.Enlist(session);
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (ConcurrencyException) when (expectedVersion is null)
        {
            throw new RefusedException(CaseRefusals.ConcurrentChange);
        }
        return new CaseWrite(Fold(state, stream.StartingVersion ?? 0, events), events);
    }

    private static Case Fold(Case? state, long startingVersion, IReadOnlyList<ICaseEvent> events)
    {
        var version = startingVersion;
        foreach (var e in events) state = Case.Evolve(state, e, ++version);
        // Evolve returns new records: the snapshot Marten holds is never mutated.
        var result = state! with { };
        result.Version = version;
        return result;
    }
}
