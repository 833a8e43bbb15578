using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Referrals;

namespace Pare.Cell.Api.Referrals;

/// <summary>
/// A referral as its partner sees it: the referral itself and exactly the parts of the case it
/// shares — an unshared part is absent from the JSON, not empty.
/// </summary>
public sealed record PartnerReferralView(Guid Id, ReferralStatus Status, string Reason, IReadOnlyList<SharedPart> Shares, DateTimeOffset? SentAt,
    string CaseReference, SharedIdentity? Identity, MinorProfile? Profile, Domain.Assessments.RiskLevel? RiskLevel, SharedEpisode? OpenEpisode, long Version)
{
    /// <summary>When the referral shares the identity and the profile has a photo: a signed link valid 10 minutes, each use journaled.</summary>
    public Uri? PhotoUrl { get; init; }
}

/// <summary>
/// A referral in the partner's lists and answers: its own course, never the cell's internals (the
/// case's id, the worker who sent it, the sharing ground and its legal text).
/// </summary>
public sealed record PartnerReferralSummary(Guid Id, ReferralStatus Status, string Reason, IReadOnlyList<SharedPart> Shares, string CaseReference,
    DateTimeOffset? SentAt, DateTimeOffset? ReceivedAt, DateTimeOffset? AcceptedAt, DateTimeOffset? ClosedAt, string? DeclineReason, string? LastNote, long Version)
    : Infrastructure.Database.IJournaledAnswer
{
    /// <summary>For the journal only: never shown to the partner.</summary>
    [System.Text.Json.Serialization.JsonIgnore] public Guid CaseId { get; init; }

    Guid Infrastructure.Database.IJournaledAnswer.JournaledCaseId => CaseId;

    public static PartnerReferralSummary Of(Referral r) => new(r.Id, r.Status, r.Reason, r.Shares, Domain.Cases.CaseReference.For(r.CaseId),
        r.SentAt, r.ReceivedAt, r.AcceptedAt, r.ClosedAt, r.DeclineReason, r.LastNote, r.Version) { CaseId = r.CaseId };
}

/// <summary>
/// What a partner's report of a disappearance or a return answers: its referral and the episode,
/// nothing of the case behind them (its id, its version), which a partner never sees.
/// </summary>
public sealed record PartnerEpisodeRecorded(Guid ReferralId, Guid EpisodeId);

public sealed record SharedIdentity(string FirstName, string LastName, DateOnly DateOfBirth);

public sealed record SharedEpisode(Guid EpisodeId, DateTimeOffset LastSeenAt, string LastSeenPlace, Domain.Episodes.RunawayClassification Classification);
