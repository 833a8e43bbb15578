using Pare.Cell.Domain.Common;

namespace Pare.Cell.Domain.Referrals;

public abstract record ReferralCommand(Actor By, DateTimeOffset Now);

public sealed record DraftReferral(Guid ReferralId, Guid CaseId, Guid PartnerId, string Reason, IReadOnlyList<SharedPart> Shares, SharingGround Ground, Actor By, DateTimeOffset Now) : ReferralCommand(By, Now);
public sealed record SendReferral(Actor By, DateTimeOffset Now) : ReferralCommand(By, Now);
public sealed record AcknowledgeReferral(Actor By, DateTimeOffset Now) : ReferralCommand(By, Now);
public sealed record AcceptReferral(Actor By, DateTimeOffset Now) : ReferralCommand(By, Now);
public sealed record DeclineReferral(string Reason, Actor By, DateTimeOffset Now) : ReferralCommand(By, Now);
public sealed record UpdateReferralProgress(string Note, Actor By, DateTimeOffset Now) : ReferralCommand(By, Now);
public sealed record CompleteReferral(string Note, Actor By, DateTimeOffset Now) : ReferralCommand(By, Now);
public sealed record CancelReferral(string Reason, Actor By, DateTimeOffset Now) : ReferralCommand(By, Now);
public sealed record RevokeReferral(string Reason, bool ByHead, Actor By, DateTimeOffset Now) : ReferralCommand(By, Now);

/// <summary>Consent given, or a legal basis stated, after drafting: the ground as it now stands.</summary>
public sealed record StateSharingGround(SharingGround Ground, Actor By, DateTimeOffset Now) : ReferralCommand(By, Now);

/// <summary>
/// draft → sent → received → accepted | declined → in progress → completed; cancelled; revoked by
/// the sender or the head. Sending needs consent or a stated legal basis, which a draft may be given
/// after drafting. Pure.
/// </summary>
public static class ReferralDecider
{
    public static IReferralEvent[] Decide(ReferralCommand command, Referral? state)
    {
        if (command is DraftReferral d)
            return state is null ? [new ReferralDrafted(d.ReferralId, d.CaseId, d.PartnerId, d.Reason, d.Shares, d.Ground, Provenance.Now(d.By, d.Now))]
                : throw new RefusedException(ReferralRefusals.WrongState);
        if (state is null) throw new RefusedException(ReferralRefusals.NotFound);
        var at = Provenance.Now(command.By, command.Now);
        return command switch
        {
            SendReferral when state.Status != ReferralStatus.Draft => throw new RefusedException(ReferralRefusals.WrongState),
            SendReferral when !state.Ground.Allows => throw new RefusedException(ReferralRefusals.NoConsentOrLegalBasis),
            SendReferral => [new ReferralSent(state.Id, at)],
            // Only a draft: once sent, the ground it was sent on is what justified the sharing.
            StateSharingGround when state.Status != ReferralStatus.Draft => throw new RefusedException(ReferralRefusals.WrongState),
            StateSharingGround c => c.Ground == state.Ground ? [] : [new ReferralSharingGroundStated(state.Id, c.Ground, at)],
            AcknowledgeReferral => In(state, ReferralStatus.Sent) ? [new ReferralReceived(state.Id, at)] : [],
            AcceptReferral => In(state, ReferralStatus.Sent, ReferralStatus.Received) ? [new ReferralAccepted(state.Id, at)] : Refuse(state, ReferralStatus.Accepted),
            DeclineReferral c => In(state, ReferralStatus.Sent, ReferralStatus.Received) ? [new ReferralDeclined(state.Id, c.Reason, at)] : Refuse(state, ReferralStatus.Declined),
            UpdateReferralProgress c => In(state, ReferralStatus.Accepted, ReferralStatus.InProgress) ? [new ReferralProgressUpdated(state.Id, c.Note, at)] : Refuse(state, null),
            CompleteReferral c => In(state, ReferralStatus.Accepted, ReferralStatus.InProgress) ? [new ReferralCompleted(state.Id, c.Note, at)] : Refuse(state, ReferralStatus.Completed),
            CancelReferral c => In(state, ReferralStatus.Draft, ReferralStatus.Sent, ReferralStatus.Received) ? [new ReferralCancelled(state.Id, c.Reason, at)] : Refuse(state, ReferralStatus.Cancelled),
            RevokeReferral c when !c.ByHead && c.By.Id != state.SentBy => throw new RefusedException(ReferralRefusals.OnlySenderOrHead),
            RevokeReferral c => In(state, ReferralStatus.Sent, ReferralStatus.Received, ReferralStatus.Accepted, ReferralStatus.InProgress)
                ? [new ReferralRevoked(state.Id, c.Reason, at)] : Refuse(state, ReferralStatus.Revoked),
            _ => throw new InvalidOperationException($"No decision for {command.GetType().Name}."),
        };
    }

    private static bool In(Referral state, params ReferralStatus[] statuses) => statuses.Contains(state.Status);

    /// <summary>Asking again for the state it is already in changes nothing (a partner's retry); anything else is a 409.</summary>
    private static IReferralEvent[] Refuse(Referral state, ReferralStatus? sameAs) =>
        state.Status == sameAs ? [] : throw new RefusedException(ReferralRefusals.WrongState);
}

public static class ReferralRefusals
{
    public static readonly Refusal NotFound = new("referral-not-found", new("No such referral.", "Aucune orientation de ce type."), RefusalKind.NotFound);

    public static readonly Refusal WrongState = new("referral-wrong-state",
        new("The referral's current status does not allow this.", "Le statut actuel de l'orientation ne le permet pas."));

    public static readonly Refusal NoConsentOrLegalBasis = new("no-consent-or-legal-basis",
        new("A referral is sent only with the minor's or a legal guardian's consent, or a stated legal basis for sharing without it (art. L226-2-2 CASF).",
            "Une orientation n'est envoyée qu'avec le consentement du ou de la mineur·e ou d'un représentant légal, ou un fondement légal au partage sans consentement (art. L226-2-2 CASF)."),
        RefusalKind.Unprocessable);

    public static readonly Refusal OnlySenderOrHead = new("only-sender-or-head",
        new("Only the worker who sent the referral or the service head may revoke it.", "Seul·e l'auteur·e de l'orientation ou la cheffe ou le chef de service peut la révoquer."),
        RefusalKind.Forbidden);

    public static readonly Refusal NoLinkingReferral = new("no-linking-referral",
        new("No accepted referral links your organisation to this minor.", "Aucune orientation acceptée ne lie votre organisation à ce ou cette mineur·e."), RefusalKind.NotFound);
}
