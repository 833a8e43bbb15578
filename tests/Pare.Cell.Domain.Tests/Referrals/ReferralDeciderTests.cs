using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Referrals;
using static Pare.Cell.Domain.Tests.Sample;

namespace Pare.Cell.Domain.Tests.Referrals;

public sealed class ReferralDeciderTests
{
    private static readonly Guid ReferralId = Guid.Parse("01a221e5-5000-7000-8000-000000000001");
    private static readonly Actor Drafter = Actor.Member("worker-1");
    private static readonly Actor Colleague = Actor.Member("worker-2");

    private static Referral? Run(Referral? state, params ReferralCommand[] commands)
    {
        foreach (var command in commands)
            foreach (var e in ReferralDecider.Decide(command, state)) state = Referral.Evolve(state, e);
        return state;
    }

    private static Referral Drafted(bool consent = true) => Run(null, new DraftReferral(ReferralId, CaseId, Guid.NewGuid(), "Santé", [SharedPart.Identity],
        new SharingGround(false, consent, null), Drafter, Now))!;

    private static string RefusalOf(Referral state, ReferralCommand command) =>
        Should.Throw<RefusedException>(() => ReferralDecider.Decide(command, state)).Refusal.Code;

    [Fact]
    public void A_referral_goes_from_draft_to_completed_through_the_partner_s_answers()
    {
        var done = Run(Drafted(), new SendReferral(Drafter, Now), new AcknowledgeReferral(Actor.Partner("pc_1"), Now), new AcceptReferral(Actor.Partner("pc_1"), Now),
            new UpdateReferralProgress("Rendez-vous", Actor.Partner("pc_1"), Now), new CompleteReferral("Terminé", Actor.Partner("pc_1"), Now))!;
        done.Status.ShouldBe(ReferralStatus.Completed);
        done.IsShared(SharedPart.Identity).ShouldBeFalse(); // completed: the partner no longer sees the minor
    }

    [Fact]
    public void A_draft_cancelled_without_being_sent_was_never_sent_and_a_sent_referral_stays_sent_once_ended()
    {
        var cancelledDraft = Run(Drafted(consent: false), new CancelReferral("Plus nécessaire", Drafter, Now))!;
        cancelledDraft.Status.ShouldBe(ReferralStatus.Cancelled);
        cancelledDraft.WasSent.ShouldBeFalse();
        Run(Drafted(), new SendReferral(Drafter, Now), new CancelReferral("Plus nécessaire", Drafter, Now))!.WasSent.ShouldBeTrue();
    }

    [Fact]
    public void Without_consent_or_a_legal_basis_a_referral_is_not_sent() =>
        RefusalOf(Drafted(consent: false), new SendReferral(Drafter, Now)).ShouldBe("no-consent-or-legal-basis");

    [Fact]
    public void A_draft_refused_for_want_of_consent_is_sent_once_its_ground_is_stated_and_a_sent_one_keeps_its_ground()
    {
        var draft = Drafted(consent: false);
        var basis = new SharingGround(false, false, "Art. L226-2-2 CASF: strictly necessary to protect the minor");

        var stated = ReferralDecider.Decide(new StateSharingGround(basis, Drafter, Now), draft).ShouldHaveSingleItem().ShouldBeOfType<ReferralSharingGroundStated>();
        stated.Ground.ShouldBe(basis);
        var sent = Run(draft, new StateSharingGround(basis, Colleague, Now), new SendReferral(Drafter, Now))!;
        sent.Status.ShouldBe(ReferralStatus.Sent);
        sent.Ground.ShouldBe(basis);

        ReferralDecider.Decide(new StateSharingGround(draft.Ground, Drafter, Now), draft).ShouldBeEmpty(); // stated again as it is: nothing new
        RefusalOf(sent, new StateSharingGround(new SharingGround(false, false, null), Drafter, Now)).ShouldBe("referral-wrong-state");
    }

    [Fact]
    public void The_worker_who_sent_it_or_the_head_may_revoke_it_not_another_worker()
    {
        var sentByColleague = Run(Drafted(), new SendReferral(Colleague, Now))!;
        sentByColleague.SentBy.ShouldBe("worker-2");

        RefusalOf(sentByColleague, new RevokeReferral("No longer needed", false, Drafter, Now)).ShouldBe("only-sender-or-head");
        ReferralRefusals.OnlySenderOrHead.Kind.ShouldBe(RefusalKind.Forbidden); // a rule about who, not about the referral's state
        Run(sentByColleague, new RevokeReferral("No longer needed", false, Colleague, Now))!.Status.ShouldBe(ReferralStatus.Revoked);
        Run(sentByColleague, new RevokeReferral("No longer needed", true, Head, Now))!.Status.ShouldBe(ReferralStatus.Revoked);
    }

    [Fact]
    public void A_partner_s_repeated_answer_changes_nothing_and_a_contradictory_one_is_refused()
    {
        var accepted = Run(Drafted(), new SendReferral(Drafter, Now), new AcceptReferral(Actor.Partner("pc_1"), Now))!;
        ReferralDecider.Decide(new AcceptReferral(Actor.Partner("pc_1"), Now), accepted).ShouldBeEmpty();
        RefusalOf(accepted, new DeclineReferral("Too far", Actor.Partner("pc_1"), Now)).ShouldBe("referral-wrong-state");
        RefusalOf(accepted, new CancelReferral("Changed our mind", Drafter, Now)).ShouldBe("referral-wrong-state");
    }
}
