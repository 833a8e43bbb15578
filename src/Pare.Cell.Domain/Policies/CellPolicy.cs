using Pare.Cell.Domain.Common;

namespace Pare.Cell.Domain.Policies;

/// <summary>
/// Per-cell settings that decide and route prosecutor alerts, as one event stream per cell so
/// every decision can be traced to the policy version in force when it was taken.
/// </summary>
public sealed record CellPolicy : IVersioned
{
    /// <summary>Every cell's policy stream has this id; the cell (tenant) tells them apart.</summary>
    public static readonly Guid StreamId = Guid.Parse("00000000-0000-7000-8000-00000000c311");

    public Guid Id { get; init; } = StreamId;
    public WorryingCriteria Criteria { get; init; } = WorryingCriteria.Defaults;
    public AlertRouting Routing { get; init; } = AlertRouting.Unconfigured;
    public Reminders.ReminderSettings Reminders { get; init; } = Domain.Reminders.ReminderSettings.Defaults;

    /// <summary>The reminder delays, with the acknowledgement delay taken from the alert routing.</summary>
    public Reminders.ReminderSettings EffectiveReminders => Reminders with { AlertAcknowledgementMinutes = Routing.AcknowledgementDeadlineMinutes };
    public long Version { get; set; }

    public static CellPolicy Evolve(CellPolicy? state, object @event) => @event switch
    {
        WorryingCriteriaChanged e => (state ?? new CellPolicy()) with { Criteria = e.Criteria },
        AlertRoutingChanged e => (state ?? new CellPolicy()) with { Routing = e.Routing },
        ReminderSettingsChanged e => (state ?? new CellPolicy()) with { Reminders = e.Settings },
        _ => state ?? new CellPolicy(),
    };
}

/// <summary>Where alerts go and how fast they must be delivered and acknowledged.</summary>
public sealed record AlertRouting(
    string? ProsecutorEmail,
    OnCallContact? OnCall,
    string? HeadEmail,
    string? WebhookUrl,
    string? WebhookSecret,
    int DeliveryDeadlineMinutes,
    int AcknowledgementDeadlineMinutes)
{
    public static AlertRouting Unconfigured { get; } = new(null, null, null, null, null, 10, 30);
}

/// <summary>Who the prosecutor's office calls back at any hour.</summary>
public sealed record OnCallContact(string Name, string Phone, string? Email);

public sealed record WorryingCriteriaChanged(WorryingCriteria Criteria, Provenance Provenance);

public sealed record AlertRoutingChanged(AlertRouting Routing, Provenance Provenance);

public sealed record ReminderSettingsChanged(Reminders.ReminderSettings Settings, Provenance Provenance);
