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
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A dispatcher silent this long is stuck: the job server is not ready (default 2 × SendTimeout + PollInterval).</summary>
    public TimeSpan? DispatcherStallAfter { get; set; }
}
