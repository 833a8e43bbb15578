using System.Security.Cryptography;
using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Pare.Cell.Api.Alerts;

/// <summary>Sends one e-mail through the configured SMTP relay (MailKit). Throws on any failure.</summary>
public sealed class SmtpAlertSender(IOptions<AlertSettings> options)
{
    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var client = new SmtpClient { Timeout = (int)settings.SendTimeout.TotalMilliseconds };
        await client.ConnectAsync(settings.SmtpHost, settings.SmtpPort, Enum.Parse<SecureSocketOptions>(settings.SmtpSecurity), cancellationToken);
        if (!string.IsNullOrEmpty(settings.SmtpUsername))
            await client.AuthenticateAsync(settings.SmtpUsername, settings.SmtpPassword ?? "", cancellationToken);
        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}

/// <summary>
/// Posts a signed JSON payload. Headers: <c>X-Pare-Alert-Id</c> (deduplication),
/// <c>X-Pare-Timestamp</c> (Unix seconds) and <c>X-Pare-Signature: sha256=HEX</c>, the
/// HMAC-SHA256 with the shared secret of <c>"{timestamp}.{body}"</c>.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients, TimeProvider clock)
{
    public const string ClientName = "webhooks";

    public async Task SendAsync(Uri url, string secret, string messageId, string json, CancellationToken cancellationToken)
    {
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Pare-Alert-Id", messageId);
        request.Headers.Add("X-Pare-Timestamp", timestamp);
        request.Headers.Add("X-Pare-Signature", $"sha256={Sign(secret, timestamp, json)}");
        using var response = await clients.CreateClient(ClientName).SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"webhook {(int)response.StatusCode}");
    }

    public static string Sign(string secret, string timestamp, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));
}
