using JasperFx;
using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;
using Pare.Cell.Api.Alerts;
using Pare.Cell.Api.Infrastructure.Http;
using Pare.Cell.Api.Partners;
using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Referrals;

namespace Pare.Cell.Api.Referrals;

/// <summary>A referral's state, kept inline with its own stream.</summary>
public sealed class ReferralProjection : SingleStreamProjection<Referral, Guid>
{
    public ReferralProjection() => IncludeType<IReferralEvent>();

    public override Referral? Evolve(Referral? snapshot, Guid id, IEvent e) =>
        e.Data is IReferralEvent referralEvent ? Referral.Evolve(snapshot, referralEvent) : snapshot;
}

/// <summary>
/// Load, decide, append for referrals (cell side and partner side alike), with the request's
/// idempotency key and, when the partner has a webhook, its notification row in the same transaction.
/// </summary>
public sealed class ReferralWriter(TimeProvider clock, Idempotency idempotency, AlertOutbox outbox)
{
    public async Task<Referral> DecideAsync(IDocumentSession session, Actor by, Guid referralId, long? expectedVersion,
        Func<Actor, DateTimeOffset, ReferralCommand> command, CancellationToken cancellationToken)
    {
        var stream = await session.Events.FetchForWriting<Referral>(referralId, cancellationToken);
        var decided = command(by, clock.GetUtcNow());
        if (stream.Aggregate is null && decided is not DraftReferral) throw new RefusedException(ReferralRefusals.NotFound);
        if (expectedVersion is { } expected && expected != stream.StartingVersion)
            throw new PreconditionFailedException(stream.StartingVersion ?? 0);

        var events = ReferralDecider.Decide(decided, stream.Aggregate);
        var state = stream.Aggregate;
        foreach (var e in events) state = Referral.Evolve(state, e);
        if (events.Length == 0) return state!;

        stream.AppendMany(events);
        idempotency.Enlist(session);
        Reminders.ReminderFollowUp.ReferralChanged(session, state!.CaseId);
        // The partner hears of a referral from its sending on: never of a draft, nor of a draft's cancellation.
        if (state.WasSent && await session.LoadAsync<Partner>(state.PartnerId, cancellationToken) is { WebhookUrl: not null })
            outbox.EnqueueReferralUpdate(session, Guid.CreateVersion7(clock.GetUtcNow()), referralId);
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (ConcurrencyException) when (expectedVersion is null)
        {
            throw new RefusedException(Domain.Cases.CaseRefusals.ConcurrentChange);
        }
        var result = state! with { };
        result.Version = (stream.StartingVersion ?? 0) + events.Length;
        return result;
    }
}
