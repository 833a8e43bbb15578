using JasperFx;
using Marten;
using Pare.Cell.Api.Alerts;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Http;
using Pare.Cell.Api.Infrastructure.Telemetry;
using Pare.Cell.Api.Policies;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Episodes;
using Pare.Cell.Domain.Policies;

namespace Pare.Cell.Api.Cases;

/// <summary>The new state of a case after a command, and the events that made it.</summary>
public sealed record CaseWrite(Case State, IReadOnlyList<ICaseEvent> Events)
{
    /// <summary>The case's new revision: its ETag (<see cref="Case.Revision"/>).</summary>
    public long Version => State.Revision;

    /// <summary>The stream version of an event written: what names an entry (a correction cites it).</summary>
    public long StreamVersionOf(ICaseEvent written) => State.Version - Events.Count + 1 + Events.ToList().IndexOf(written);

    /// <summary>The stream version of the first event written.</summary>
    public long FirstStreamVersion => State.Version - Events.Count + 1;
}

/// <summary>Case writes on behalf of the current request's caller, in the caller's cell.</summary>
public sealed class CaseStreams(IDocumentSession session, CurrentUser user, CaseWriter writer)
{
    public Task<CaseWrite> StartAsync(Guid caseId, Func<Actor, DateTimeOffset, CaseCommand> command, CancellationToken cancellationToken) =>
        writer.StartAsync(session, user.Actor, caseId, command, cancellationToken);

    /// <summary>The event at one version of a case's stream (none in another cell, or past the end).</summary>
    public async Task<ICaseEvent?> EventAtAsync(Guid caseId, long version, CancellationToken cancellationToken)
    {
        var events = await session.Events.FetchStreamAsync(caseId, version: version, fromVersion: version, token: cancellationToken);
        return events.SingleOrDefault(e => e.Version == version)?.Data as ICaseEvent;
    }

    /// <param name="expectedVersion">From If-Match: stale → 412. Null: still safe against a racing writer (409).</param>
    /// <param name="alsoEnlist">More writes to commit with the events, or not at all (a photo's bytes).</param>
    public Task<CaseWrite> DecideAsync(Guid caseId, long? expectedVersion, Func<Actor, DateTimeOffset, CaseCommand> command, CancellationToken cancellationToken,
        Action<IDocumentSession>? alsoEnlist = null) =>
        writer.DecideAsync(session, user.Actor, caseId, expectedVersion, command, cancellationToken, alsoEnlist);
}

/// <summary>
/// Load, decide, append: the one way anything changes a case, whether a person over HTTP or a job.
/// Loads the inline snapshot (one row), and the cell's policy when an episode is open; lets the
/// pure decider decide; appends with optimistic concurrency; and enlists, in the same transaction,
/// the request's idempotency key and any prosecutor alert to deliver (<see cref="AlertOutbox"/>).
/// </summary>
public sealed class CaseWriter(IDocumentStore store, TimeProvider clock, Idempotency idempotency, AlertOutbox outbox)
{
    private const int Attempts = 3;

    public async Task<CaseWrite> StartAsync(IDocumentSession session, Actor by, Guid caseId, Func<Actor, DateTimeOffset, CaseCommand> command, CancellationToken cancellationToken)
    {
        var events = CaseDecider.Decide(command(by, clock.GetUtcNow()), null);
        session.Events.StartStream<Case>(caseId, events);
        idempotency.Enlist(session);
        await session.SaveChangesAsync(cancellationToken);
        PareMetrics.CaseEventsWritten(events);
        return new CaseWrite(Fold(null, 0, events), events);
    }

    /// <summary>
    /// What the time-driven jobs do to a case: decide as the system, in the case's cell. A refusal
    /// (the case changed under the job: a return, a closure) is not an error: the next run sees it
    /// as it is. Returns the events written (none when there was nothing to record), or null when refused.
    /// </summary>
    public async Task<IReadOnlyList<ICaseEvent>?> DecideAsSystemAsync(string cellId, Guid caseId, Func<Actor, DateTimeOffset, CaseCommand> command, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession(cellId);
        try
        {
            return (await DecideAsync(session, Actor.System, caseId, null, command, cancellationToken)).Events;
        }
        catch (RefusedException)
        {
            return null;
        }
    }

    /// <summary>
    /// When another writer (a colleague, the alert dispatcher recording a delivery) appended between
    /// this read and this write, the command is decided again on the new state, up to three times,
    /// before answering 409. With an expected version (If-Match), each attempt checks it against the
    /// case's revision first: a colleague's change is a 412 carrying the current ETag, while the
    /// system's own records (<see cref="ISystemRecord"/>), which do not change the revision, never are.
    /// </summary>
    public async Task<CaseWrite> DecideAsync(IDocumentSession session, Actor by, Guid caseId, long? expectedVersion,
        Func<Actor, DateTimeOffset, CaseCommand> command, CancellationToken cancellationToken, Action<IDocumentSession>? alsoEnlist = null)
    {
        // In a request's own transaction (Idempotency-Key), a failed attempt is undone to a savepoint.
        var transaction = idempotency.CurrentTransaction;
        for (var attempt = 1; ; attempt++)
        {
            var current = attempt == 1 ? session : idempotency.OpenSession(store, session.TenantId);
            if (transaction is not null) await transaction.SaveAsync("case_write", cancellationToken);
            try
            {
                return await DecideOnceAsync(current, by, caseId, expectedVersion, command, alsoEnlist, cancellationToken);
            }
            catch (ConcurrencyException) when (attempt < Attempts)
            {
                // Read the case again and decide again.
                if (transaction is not null) await transaction.RollbackAsync("case_write", cancellationToken);
            }
            catch (ConcurrencyException)
            {
                throw new RefusedException(CaseRefusals.ConcurrentChange);
            }
            finally
            {
                if (attempt > 1) await current.DisposeAsync();
            }
        }
    }

    private async Task<CaseWrite> DecideOnceAsync(IDocumentSession session, Actor by, Guid caseId, long? expectedVersion,
        Func<Actor, DateTimeOffset, CaseCommand> command, Action<IDocumentSession>? alsoEnlist, CancellationToken cancellationToken)
    {
        // Fetched without the expected version first, so that another cell's case (or none) is a
        // 404, not a 412; the append below still fails if the stream moved after this read.
        var stream = await session.Events.FetchForWriting<Case>(caseId, cancellationToken);
        var state = stream.Aggregate ?? throw new RefusedException(CaseRefusals.CaseNotFound);
        if (expectedVersion is { } expected && expected != state.Revision) throw new PreconditionFailedException(state.Revision);

        var now = clock.GetUtcNow();
        var decided = command(by, now);
        // The policy is read only when the decider needs it: one round trip fewer on most commands.
        var mayChangeWorrying = CaseDecider.MayMakeWorrying(decided, state);
        var policy = mayChangeWorrying || CaseDecider.EndsAlertedEpisode(decided, state) ? await CellPolicies.LoadAsync(session, cancellationToken) : null;
        var worrying = mayChangeWorrying ? new WorryingContext(policy!.Criteria, policy.Version, Guid.CreateVersion7(now)) : null;

        var events = CaseDecider.Decide(decided, state, worrying);
        if (events.Count == 0) return new CaseWrite(state, events);

        stream.AppendMany(events);
        alsoEnlist?.Invoke(session);
        idempotency.Enlist(session);
        outbox.Enlist(session, state, events, policy?.Routing);
        await session.SaveChangesAsync(cancellationToken);
        PareMetrics.CaseEventsWritten(events);
        return new CaseWrite(Fold(state, stream.StartingVersion ?? 0, events), events);
    }

    private static Case Fold(Case? state, long startingVersion, IReadOnlyList<ICaseEvent> events)
    {
        foreach (var e in events) state = Case.Evolve(state, e);
        // Evolve returns new records: the snapshot Marten holds is never mutated.
        var result = state! with { };
        result.Version = startingVersion + events.Count;
        return result;
    }
}
