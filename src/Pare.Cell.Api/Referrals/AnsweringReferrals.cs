using FluentValidation;
using Marten;
using Mediator;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Database;
using Pare.Cell.Api.Partners;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Referrals;

namespace Pare.Cell.Api.Referrals;

/// <summary>
/// A referral as its partner sees it: the referral itself and exactly the parts of the case it
/// shares — an unshared part is absent from the JSON, not empty.
/// </summary>
public sealed record PartnerReferralView(Guid Id, ReferralStatus Status, string Reason, IReadOnlyList<SharedPart> Shares, DateTimeOffset? SentAt,
    string CaseReference, SharedIdentity? Identity, MinorProfile? Profile, Domain.Assessments.RiskLevel? RiskLevel, SharedEpisode? OpenEpisode, long Version);

/// <summary>
/// A referral in the partner's lists and answers: its own course, never the cell's internals (the
/// case's id, the worker who sent it, the sharing ground and its legal text).
/// </summary>
public sealed record PartnerReferralSummary(Guid Id, ReferralStatus Status, string Reason, IReadOnlyList<SharedPart> Shares, string CaseReference,
    DateTimeOffset? SentAt, DateTimeOffset? ReceivedAt, DateTimeOffset? AcceptedAt, DateTimeOffset? ClosedAt, string? DeclineReason, string? LastNote, long Version)
{
    public static PartnerReferralSummary Of(Referral r) => new(r.Id, r.Status, r.Reason, r.Shares, Domain.Cases.CaseReference.For(r.CaseId),
        r.SentAt, r.ReceivedAt, r.AcceptedAt, r.ClosedAt, r.DeclineReason, r.LastNote, r.Version);
}

public sealed record SharedIdentity(string FirstName, string LastName, DateOnly DateOfBirth);

public sealed record SharedEpisode(Guid EpisodeId, DateTimeOffset LastSeenAt, string LastSeenPlace, Domain.Episodes.RunawayClassification Classification);

/// <summary>The referrals addressed to the calling partner; sent ones only (drafts are the cell's).</summary>
public sealed record ListPartnerReferrals : IQuery<IReadOnlyList<PartnerReferralSummary>>;

public sealed class ListPartnerReferralsHandler(IQuerySession session, IHttpContextAccessor http, AccessJournal journal, CurrentUser user)
    : IQueryHandler<ListPartnerReferrals, IReadOnlyList<PartnerReferralSummary>>
{
    public async ValueTask<IReadOnlyList<PartnerReferralSummary>> Handle(ListPartnerReferrals query, CancellationToken cancellationToken)
    {
        var partnerId = http.HttpContext!.User.Partner();
        var referrals = await session.Query<Referral>().Where(r => r.PartnerId == partnerId && r.Status != ReferralStatus.Draft).ToListAsync(cancellationToken);
        await journal.RecordAsync(user, [.. referrals.Select(r => r.CaseId).Distinct()], JournalActions.PartnerListReferrals, cancellationToken);
        return [.. referrals.OrderByDescending(r => r.SentAt).Select(PartnerReferralSummary.Of)];
    }
}

public sealed record GetPartnerReferral(Guid ReferralId) : IQuery<PartnerReferralView?>;

public sealed class GetPartnerReferralHandler(IQuerySession session, IHttpContextAccessor http, AccessJournal journal, CurrentUser user) : IQueryHandler<GetPartnerReferral, PartnerReferralView?>
{
    public async ValueTask<PartnerReferralView?> Handle(GetPartnerReferral query, CancellationToken cancellationToken)
    {
        var referral = await PartnerReferrals.OwnAsync(session, http.HttpContext!.User, query.ReferralId, cancellationToken);
        if (referral is null) return null;
        var state = await session.LoadAsync<Case>(referral.CaseId, cancellationToken);
        if (state is null) return null;
        await journal.RecordAsync(user, state.Id, JournalActions.PartnerReadReferral, cancellationToken);
        var episode = state.MissingEpisodeId is { } id ? state.Episode(id) : null;
        return new PartnerReferralView(referral.Id, referral.Status, referral.Reason, referral.Shares, referral.SentAt, state.Reference,
            referral.IsShared(SharedPart.Identity) ? new SharedIdentity(state.Minor.FirstName, state.Minor.LastName, state.Minor.DateOfBirth) : null,
            referral.IsShared(SharedPart.Profile) ? state.Profile : null,
            referral.IsShared(SharedPart.RiskLevel) ? state.RiskLevel : null,
            referral.IsShared(SharedPart.OpenEpisode) && episode is not null ? new SharedEpisode(episode.Id, episode.LastSeenAt, episode.LastSeenPlace, episode.Classification) : null,
            referral.Version);
    }
}

public static class PartnerReferrals
{
    /// <summary>The referral if it is addressed to the calling partner and has been sent; null otherwise (a 404, whatever the reason).</summary>
    public static async Task<Referral?> OwnAsync(IQuerySession session, System.Security.Claims.ClaimsPrincipal partner, Guid referralId, CancellationToken cancellationToken)
    {
        var referral = await session.LoadAsync<Referral>(referralId, cancellationToken);
        return referral is not null && referral.PartnerId == partner.Partner() && referral.Status != ReferralStatus.Draft ? referral : null;
    }
}

/// <summary>The partner answers: acknowledge, accept, decline (reason), progress (note), complete (note).</summary>
public sealed record AnswerReferralRequest(string? Reason, string? Note) : ICommand<PartnerReferralSummary>
{
    [System.Text.Json.Serialization.JsonIgnore] public Guid ReferralId { get; init; }
    [System.Text.Json.Serialization.JsonIgnore] public ReferralAnswer Answer { get; init; }
    /// <summary>From If-Match, when sent: stale → 412.</summary>
    [System.Text.Json.Serialization.JsonIgnore] public long? ExpectedVersion { get; init; }
}

public enum ReferralAnswer
{
    Acknowledge,
    Accept,
    Decline,
    Progress,
    Complete,
}

public sealed class AnswerReferralValidator : AbstractValidator<AnswerReferralRequest>
{
    public AnswerReferralValidator()
    {
        RuleFor(r => r.Reason).NotEmpty().When(r => r.Answer == ReferralAnswer.Decline);
        RuleFor(r => r.Note).NotEmpty().When(r => r.Answer is ReferralAnswer.Progress or ReferralAnswer.Complete);
        RuleFor(r => r.Reason).MaximumLength(2000);
        RuleFor(r => r.Note).MaximumLength(4000);
    }
}

public sealed class AnswerReferralHandler(IDocumentSession session, IHttpContextAccessor http, CurrentUser user, ReferralWriter referrals)
    : ICommandHandler<AnswerReferralRequest, PartnerReferralSummary>
{
    public async ValueTask<PartnerReferralSummary> Handle(AnswerReferralRequest r, CancellationToken cancellationToken)
    {
        _ = await PartnerReferrals.OwnAsync(session, http.HttpContext!.User, r.ReferralId, cancellationToken) ?? throw new RefusedException(ReferralRefusals.NotFound);
        var referral = await referrals.DecideAsync(session, Actor.Partner(user.UserId), r.ReferralId, r.ExpectedVersion, (by, now) => r.Answer switch
        {
            ReferralAnswer.Acknowledge => new AcknowledgeReferral(by, now),
            ReferralAnswer.Accept => new AcceptReferral(by, now),
            ReferralAnswer.Decline => new DeclineReferral(r.Reason!, by, now),
            ReferralAnswer.Progress => new UpdateReferralProgress(r.Note!, by, now),
            _ => (ReferralCommand)new CompleteReferral(r.Note!, by, now),
        }, cancellationToken);
        return PartnerReferralSummary.Of(referral);
    }
}

/// <summary>
/// A partner linked by an accepted referral reports a disappearance or a return for the minor:
/// it lands as the same episode events a worker records, attributed to the partner's client.
/// </summary>
public sealed class PartnerEpisodes(IDocumentSession session, IHttpContextAccessor http, CurrentUser user, CaseWriter cases)
{
    public async Task<CaseWrite> DecideAsync(Guid referralId, Func<Actor, DateTimeOffset, CaseCommand> command, CancellationToken cancellationToken)
    {
        var referral = await PartnerReferrals.OwnAsync(session, http.HttpContext!.User, referralId, cancellationToken);
        if (referral is null || !referral.LinksPartner) throw new RefusedException(ReferralRefusals.NoLinkingReferral);
        return await cases.DecideAsync(session, Actor.Partner(user.UserId), referral.CaseId, null, command, cancellationToken);
    }
}
