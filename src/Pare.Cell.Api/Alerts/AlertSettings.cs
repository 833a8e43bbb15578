namespace Pare.Cell.Api.Alerts;

/// <summary>
/// <c>Alerts:*</c> settings. The SMTP relay the prosecutor alerts leave through, the address they
/// come from, the public URL acknowledgement links point to, and the dispatcher's pace.
/// </summary>
public sealed class AlertSettings
{
    public string SmtpHost { get; set; } = "localhost";
    public int SmtpPort { get; set; } = 25;
    /// <summary>None, StartTls or SslOnConnect. StartTls in production.</summary>
    public string SmtpSecurity { get; set; } = "None";
    public string? SmtpUsername { get; set; }
    public string? SmtpPassword { get; set; }
    public string From { get; set; } = "alertes@pare-cell.local";
    /// <summary>Where acknowledgement links point: the API as the prosecutor's office reaches it.</summary>
    public string PublicBaseUrl { get; set; } = "http://localhost:5080";
    /// <summary>HMAC key of acknowledgement links; derived from Auth:SigningKey when absent.</summary>
    public string? LinkSigningKey { get; set; }
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromDays(8);
    /// <summary>How often the dispatcher looks for due retries when no notification wakes it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>The whole of one send (connect, exchange, answer): past it the send has failed.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(15);
    /// <summary>Opening the connection to the relay or the webhook's host.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Sends in flight at once in the prosecutor lane (alerts, escalations, found notices), per process.</summary>
    public int ProsecutorConcurrency { get; set; } = 16;
    /// <summary>Sends in flight at once in the partner lane (referral webhooks), per process.</summary>
    public int PartnerConcurrency { get; set; } = 8;
    /// <summary>Messages of one cell in flight at once in a lane, so that no cell fills it.</summary>
    public int PerCellConcurrency { get; set; } = 8;
    /// <summary>Sends in flight at once to one destination (a cell's recipient, a webhook's host).</summary>
    public int PerDestinationConcurrency { get; set; } = 4;
    /// <summary>Consecutive failures of a destination that open its circuit.</summary>
    public int CircuitThreshold { get; set; } = 3;
    /// <summary>How long an open circuit first waits (doubling each time it opens again, up to 5 minutes, with jitter).</summary>
    public TimeSpan CircuitOpenFor { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>
    /// How long a claimed row is the claimer's (renewed while it sends): a process killed
    /// mid-send leaves its rows to the others after this at most.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);
    /// <summary>A partner's webhook is retried this long after it was queued, then marked dead (never a prosecutor alert).</summary>
    public TimeSpan PartnerWebhookRetryFor { get; set; } = TimeSpan.FromHours(24);

    /// <summary>A dispatcher silent this long is stuck: the job server is not ready (default 2 × SendTimeout + PollInterval).</summary>
    public TimeSpan? DispatcherStallAfter { get; set; }
}
