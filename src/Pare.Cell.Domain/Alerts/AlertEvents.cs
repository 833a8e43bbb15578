using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Episodes;
using Pare.Cell.Domain.Policies;

namespace Pare.Cell.Domain.Alerts;

/// <summary>An event about one prosecutor alert (signalement au parquet); it lives in the case's stream.</summary>
public interface IAlertEvent : ICaseEvent
{
    Guid AlertId { get; }
}

/// <summary>
/// The episode is now a worrying disappearance: the prosecutor must be alerted at once. Lists
/// the criteria that matched under the policy version in force, and names the alert.
/// </summary>
public sealed record EpisodeBecameWorrying(
    Guid CaseId,
    Guid EpisodeId,
    Guid AlertId,
    IReadOnlyList<MatchedCriterion> Matched,
    long PolicyVersion,
    Provenance Provenance) : IEpisodeEvent, IAlertEvent;

/// <summary>Only the service head lowers a classification, with a written reason.</summary>
/// <param name="Overruled">
/// The criteria the policy matched when the head lowered it: the head's judgement covers them, so
/// they do not raise it again; any other that comes to match (a new fact, the time passing) does.
/// Null on events recorded before this was kept: nothing raises those again by itself.
/// </param>
public sealed record EpisodeClassificationLowered(
    Guid CaseId,
    Guid EpisodeId,
    RunawayClassification Classification,
    string Reason,
    Provenance Provenance,
    IReadOnlyList<WorryingCriterion>? Overruled = null) : IEpisodeEvent;

public enum AlertChannel
{
    Email,
    Webhook,
}

public sealed record ProsecutorAlertDelivered(Guid CaseId, Guid AlertId, AlertChannel Channel, int Attempts, Provenance Provenance) : IAlertEvent, ISystemRecord;

/// <param name="Error">A short technical cause ("smtp 451", "connection refused"): never message content.</param>
public sealed record ProsecutorAlertDeliveryFailed(Guid CaseId, Guid AlertId, AlertChannel Channel, int Attempt, string Error, Provenance Provenance) : IAlertEvent, ISystemRecord;

/// <summary>Not delivered within the deadline: the service head is notified.</summary>
public sealed record ProsecutorAlertEscalated(Guid CaseId, Guid AlertId, Provenance Provenance) : IAlertEvent, ISystemRecord;

public sealed record ProsecutorAlertAcknowledged(Guid CaseId, Guid AlertId, Provenance Provenance) : IAlertEvent, ISystemRecord;

/// <summary>Delivered but not acknowledged within the deadline: a reminder for the head.</summary>
public sealed record ProsecutorAlertUnacknowledged(Guid CaseId, Guid AlertId, Provenance Provenance) : IAlertEvent, ISystemRecord;

/// <summary>"The minor has been found": the follow-up notice to the alert's recipient.</summary>
public sealed record FoundNoticeDelivered(Guid CaseId, Guid AlertId, Provenance Provenance) : IAlertEvent, ISystemRecord;

/// <summary>What the case remembers of each of its alerts.</summary>
public sealed record AlertState(
    Guid AlertId,
    Guid EpisodeId,
    DateTimeOffset RaisedAt,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset? AcknowledgedAt,
    DateTimeOffset? EscalatedAt,
    bool AcknowledgementOverdue,
    bool FoundNoticeDelivered)
{
    /// <summary>When the prosecutor's webhook (ids only) took it, if the cell has one; <see cref="DeliveredAt"/> is the e-mail's.</summary>
    public DateTimeOffset? WebhookDeliveredAt { get; init; }
}
