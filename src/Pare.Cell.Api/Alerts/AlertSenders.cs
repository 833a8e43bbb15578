using System.Security.Cryptography;
using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Pare.Cell.Api.Alerts;

/// <summary>Sends one e-mail through the configured SMTP relay (MailKit). Throws on any failure.</summary>
public sealed class SmtpAlertSender(IOptions<AlertSettings> options, ILogger<SmtpAlertSender> logger)
{
    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var client = new EveryRecipientItCanClient { Timeout = (int)settings.SendTimeout.TotalMilliseconds };
        using (var connecting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            connecting.CancelAfter(settings.ConnectTimeout);
            await client.ConnectAsync(settings.SmtpHost, settings.SmtpPort, Enum.Parse<SecureSocketOptions>(settings.SmtpSecurity), connecting.Token);
        }
        if (!string.IsNullOrEmpty(settings.SmtpUsername))
            await client.AuthenticateAsync(settings.SmtpUsername, settings.SmtpPassword ?? "", cancellationToken);
        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
        if (client.Refused is { } refused)
            logger.LogWarning("The relay refused {Refused} of the {Recipients} recipients of message {MessageId} (smtp {Status}); the others have it",
                client.RefusedCount, message.To.Count, message.MessageId, (int)refused.StatusCode);
    }

    /// <summary>
    /// A recipient the relay refuses does not hold the message back from the others: an escalation
    /// goes to the head and to the person on call, and one stale address must not keep it from the
    /// other. No recipient accepted is a failure, retried as any other.
    /// </summary>
    private sealed class EveryRecipientItCanClient : SmtpClient
    {
        private MailboxAddress? _firstRefused;

        public SmtpResponse? Refused { get; private set; }
        public int RefusedCount { get; private set; }

        protected override void OnRecipientNotAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response)
        {
            RefusedCount++;
            Refused ??= response;
            _firstRefused ??= mailbox;
        }

        protected override void OnNoRecipientsAccepted(MimeMessage message) =>
            throw new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, Refused?.StatusCode ?? SmtpStatusCode.MailboxUnavailable,
                _firstRefused!, "No recipient accepted.");
    }
}

/// <summary>
/// Posts a JSON payload signed as the Standard Webhooks specification says, so that a receiver
/// verifies it with a stock library: <c>webhook-id</c> (the message's own id, the one to
/// deduplicate on), <c>webhook-timestamp</c> (Unix seconds) and <c>webhook-signature:
/// v1,BASE64(HMAC-SHA256(key, "{id}.{timestamp}.{body}"))</c>, the key being the secret's bytes after
/// <c>whsec_</c>. A message about an alert also names it in <c>X-Pare-Alert-Id</c>. Throws on any failure.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory clients)
{
    public const string ClientName = "webhooks";
    public const string SecretPrefix = "whsec_";

    public async Task SendAsync(Uri url, string secret, Guid messageId, Guid? alertId, string json, CancellationToken cancellationToken)
    {
        // The receiver checks the timestamp against its own clock, as a JWT's: the system's, never a test's.
        var timestamp = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        var id = messageId.ToString("D");
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", $"v1,{Sign(secret, id, timestamp, json)}");
        if (alertId is { } alert) request.Headers.Add(MessageIds.AlertIdHeader, alert.ToString("D"));
        using var response = await clients.CreateClient(ClientName).SendAsync(request, cancellationToken);
        // OutboundFailures already turned a failed answer into its class; this stays for any other handler.
        if (!response.IsSuccessStatusCode) throw new DeliveryException($"endpoint answered {(int)response.StatusCode / 100}xx");
    }

    public static string Sign(string secret, string id, long timestamp, string body) =>
        Convert.ToBase64String(HMACSHA256.HashData(KeyOf(secret),
            Encoding.UTF8.GetBytes($"{id}.{timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture)}.{body}")));

    /// <summary>
    /// The signing key: the bytes a <c>whsec_</c> secret encodes. A secret saved before the Standard
    /// Webhooks format (free text, 16+ characters) signs with its UTF-8 bytes until it is replaced.
    /// </summary>
    public static byte[] KeyOf(string secret) =>
        secret.StartsWith(SecretPrefix, StringComparison.Ordinal) && TryDecode(secret, out var key) ? key : Encoding.UTF8.GetBytes(secret);

    public static bool IsStandardSecret(string secret) =>
        secret.StartsWith(SecretPrefix, StringComparison.Ordinal) && TryDecode(secret, out var key) && key.Length is >= 24 and <= 64;

    private static bool TryDecode(string secret, out byte[] key)
    {
        var buffer = new byte[secret.Length];
        var ok = Convert.TryFromBase64String(secret[SecretPrefix.Length..], buffer, out var written);
        key = buffer[..written];
        return ok;
    }
}
