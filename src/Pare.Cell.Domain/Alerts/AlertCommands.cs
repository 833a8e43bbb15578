using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Common;

namespace Pare.Cell.Domain.Alerts;

/// <summary>What the alert dispatcher and the prosecutor's acknowledgement record on the case.</summary>
public sealed record RecordAlertDelivery(Guid AlertId, AlertChannel Channel, int Attempts, Actor By, DateTimeOffset Now) : CaseCommand(By, Now);

public sealed record RecordAlertFailure(Guid AlertId, AlertChannel Channel, int Attempt, string Error, Actor By, DateTimeOffset Now) : CaseCommand(By, Now);

public sealed record EscalateAlert(Guid AlertId, Actor By, DateTimeOffset Now) : CaseCommand(By, Now);

public sealed record AcknowledgeAlert(Guid AlertId, Actor By, DateTimeOffset Now) : CaseCommand(By, Now);

public sealed record FlagAlertUnacknowledged(Guid AlertId, Actor By, DateTimeOffset Now) : CaseCommand(By, Now);

public sealed record RecordFoundNotice(Guid AlertId, Actor By, DateTimeOffset Now) : CaseCommand(By, Now);

/// <summary>
/// Alert facts are recorded once: a redelivery after a crash (same alert id, deduplicated by the
/// receiver) or a second click on the acknowledgement link adds nothing.
/// </summary>
public static class AlertDecider
{
    public static ICaseEvent[] Decide(CaseCommand command, Case state)
    {
        return command switch
        {
            RecordAlertDelivery c => (c.Channel == AlertChannel.Email ? Existing(c.AlertId).DeliveredAt : Existing(c.AlertId).WebhookDeliveredAt) is not null ? []
                : [new ProsecutorAlertDelivered(state.Id, c.AlertId, c.Channel, c.Attempts, Provenance.Now(c.By, c.Now))],
            RecordAlertFailure c => Existing(c.AlertId).DeliveredAt is not null ? []
                : [new ProsecutorAlertDeliveryFailed(state.Id, c.AlertId, c.Channel, c.Attempt, c.Error, Provenance.Now(c.By, c.Now))],
            EscalateAlert c => Existing(c.AlertId) is { DeliveredAt: null, EscalatedAt: null }
                ? [new ProsecutorAlertEscalated(state.Id, c.AlertId, Provenance.Now(c.By, c.Now))] : [],
            AcknowledgeAlert c => Existing(c.AlertId).AcknowledgedAt is null
                ? [new ProsecutorAlertAcknowledged(state.Id, c.AlertId, Provenance.Now(c.By, c.Now))] : [],
            FlagAlertUnacknowledged c => Existing(c.AlertId) is { AcknowledgedAt: null, AcknowledgementOverdue: false }
                ? [new ProsecutorAlertUnacknowledged(state.Id, c.AlertId, Provenance.Now(c.By, c.Now))] : [],
            RecordFoundNotice c => Existing(c.AlertId).FoundNoticeDelivered ? []
                : [new FoundNoticeDelivered(state.Id, c.AlertId, Provenance.Now(c.By, c.Now))],
            _ => throw new InvalidOperationException($"No decision for {command.GetType().Name}."),
        };

        AlertState Existing(Guid alertId) => state.Alert(alertId) ?? throw new RefusedException(CaseRefusals.AlertNotFound);
    }
}
