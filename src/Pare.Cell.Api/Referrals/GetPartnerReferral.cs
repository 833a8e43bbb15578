using Marten;
using Mediator;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Database;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Referrals;

namespace Pare.Cell.Api.Referrals;

public sealed record GetPartnerReferral(Guid ReferralId) : IQuery<PartnerReferralView?>;

public sealed class GetPartnerReferralHandler(IQuerySession session, IHttpContextAccessor http, AccessJournal journal, CurrentUser user, Photos.PhotoLinks photos) : IQueryHandler<GetPartnerReferral, PartnerReferralView?>
{
    public async ValueTask<PartnerReferralView?> Handle(GetPartnerReferral query, CancellationToken cancellationToken)
    {
        var referral = await PartnerReferrals.OwnAsync(session, http.HttpContext!.User, query.ReferralId, cancellationToken);
        if (referral is null) return null;
        var state = await session.LoadAsync<Case>(referral.CaseId, cancellationToken);
        if (state is null) return null;
        if (referral.IsUnderWay) await journal.RecordAsync(user, state.Id, JournalActions.PartnerReadReferral, cancellationToken); // ended: nothing of the minor is shown
        var episode = state.MissingEpisodeId is { } id ? state.Episode(id) : null;
        return new PartnerReferralView(referral.Id, referral.Status, referral.Reason, referral.Shares, referral.SentAt, state.Reference,
            referral.IsShared(SharedPart.Identity) ? new SharedIdentity(state.Minor.FirstName, state.Minor.LastName, state.Minor.DateOfBirth) : null,
            referral.IsShared(SharedPart.Profile) ? state.Profile : null,
            referral.IsShared(SharedPart.RiskLevel) ? state.RiskLevel : null,
            referral.IsShared(SharedPart.OpenEpisode) && episode is not null ? new SharedEpisode(episode.Id, episode.LastSeenAt, episode.LastSeenPlace, episode.Classification) : null,
            referral.Version)
        {
            // The photo identifies the minor: shown when the referral shares the identity, through a link that expires in minutes.
            PhotoUrl = referral.IsUnderWay && referral.IsShared(SharedPart.Identity) && state.Profile.Photo is { } photo
                ? photos.For(user.CellId, photo.Id, user.UserId) : null,
        };
    }
}
