using Pare.Cell.Domain.Policies;
using Pare.Cell.Domain.Reminders;

namespace Pare.Cell.Api.Policies;

/// <summary>The policy as shown: criteria, routing (webhook secret never shown), version for If-Match.</summary>
public sealed record CellPolicyView(WorryingCriteria Criteria, AlertRoutingView Routing, ReminderSettings Reminders, long Version)
{
    public static CellPolicyView Of(CellPolicy policy) => new(policy.Criteria, AlertRoutingView.Of(policy.Routing), policy.EffectiveReminders, policy.Version);
}

public sealed record AlertRoutingView(string? ProsecutorEmail, OnCallContact? OnCall, string? HeadEmail, string? WebhookUrl, bool HasWebhookSecret,
    int DeliveryDeadlineMinutes, int AcknowledgementDeadlineMinutes)
{
    public static AlertRoutingView Of(AlertRouting r) =>
        new(r.ProsecutorEmail, r.OnCall, r.HeadEmail, r.WebhookUrl, !string.IsNullOrEmpty(r.WebhookSecret), r.DeliveryDeadlineMinutes, r.AcknowledgementDeadlineMinutes);
}
