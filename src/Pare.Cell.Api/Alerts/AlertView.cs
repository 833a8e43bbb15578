using Marten.Events.Projections;
using Pare.Cell.Domain.Alerts;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Policies;

namespace Pare.Cell.Api.Alerts;

public enum AlertStatus
{
    Pending,
    Delivered,
    Acknowledged,
    Escalated,
}

/// <summary>One prosecutor alert as the head follows it: ids, times and state; no personal data.</summary>
public sealed class AlertView
{
    public Guid Id { get; set; }
    public Guid CaseId { get; set; }
    public string CaseReference { get; set; } = "";
    public Guid EpisodeId { get; set; }
    public DateTimeOffset RaisedAt { get; set; }
    public long PolicyVersion { get; set; }
    public List<MatchedCriterion> Matched { get; set; } = [];
    public DateTimeOffset? DeliveredAt { get; set; }
    public int FailedAttempts { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset? EscalatedAt { get; set; }
    public DateTimeOffset? AcknowledgedAt { get; set; }
    public bool AcknowledgementOverdue { get; set; }
    public DateTimeOffset? FoundNoticeDeliveredAt { get; set; }

    public AlertStatus Status =>
        AcknowledgedAt is not null ? AlertStatus.Acknowledged
        : DeliveredAt is not null ? AlertStatus.Delivered
        : EscalatedAt is not null ? AlertStatus.Escalated
        : AlertStatus.Pending;

    public double? SecondsToDelivery => DeliveredAt is { } d ? (d - RaisedAt).TotalSeconds : null;
}

public static class AlertViewQueries
{
    /// <summary><see cref="AlertView.Status"/> as a filter the database applies (all alerts when null).</summary>
    public static IQueryable<AlertView> InStatus(this IQueryable<AlertView> alerts, AlertStatus? status) => status switch
    {
        AlertStatus.Acknowledged => alerts.Where(a => a.AcknowledgedAt != null),
        AlertStatus.Delivered => alerts.Where(a => a.AcknowledgedAt == null && a.DeliveredAt != null),
        AlertStatus.Escalated => alerts.Where(a => a.AcknowledgedAt == null && a.DeliveredAt == null && a.EscalatedAt != null),
        AlertStatus.Pending => alerts.Where(a => a.AcknowledgedAt == null && a.DeliveredAt == null && a.EscalatedAt == null),
        _ => alerts,
    };
}

/// <summary>Inline: the alert list reflects an alert's events in the same transaction as they are appended.</summary>
public sealed class AlertViewProjection : MultiStreamProjection<AlertView, Guid>
{
    public AlertViewProjection() => Identity<IAlertEvent>(e => e.AlertId);

    public static AlertView Create(EpisodeBecameWorrying e) => new()
    {
        Id = e.AlertId,
        CaseId = e.CaseId,
        CaseReference = Domain.Cases.CaseReference.For(e.CaseId),
        EpisodeId = e.EpisodeId,
        RaisedAt = e.Provenance.RecordedAt,
        PolicyVersion = e.PolicyVersion,
        Matched = [.. e.Matched],
    };

    public static void Apply(AlertView view, ProsecutorAlertDelivered e)
    {
        if (e.Channel == AlertChannel.Email) view.DeliveredAt ??= e.Provenance.OccurredAt;
    }

    public static void Apply(AlertView view, ProsecutorAlertDeliveryFailed e)
    {
        view.FailedAttempts = Math.Max(view.FailedAttempts, e.Attempt);
        view.LastError = e.Error;
    }

    public static void Apply(AlertView view, ProsecutorAlertEscalated e) => view.EscalatedAt = e.Provenance.OccurredAt;
    public static void Apply(AlertView view, ProsecutorAlertAcknowledged e) => view.AcknowledgedAt = e.Provenance.OccurredAt;
    public static void Apply(AlertView view, ProsecutorAlertUnacknowledged e) => view.AcknowledgementOverdue = true;
    public static void Apply(AlertView view, FoundNoticeDelivered e) => view.FoundNoticeDeliveredAt = e.Provenance.OccurredAt;
}
