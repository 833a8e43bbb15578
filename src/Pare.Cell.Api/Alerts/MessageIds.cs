using System.Security.Cryptography;
using System.Text;
using MimeKit;
using Pare.Cell.Api.Infrastructure.Http;

namespace Pare.Cell.Api.Alerts;

/// <summary>
/// Every message that leaves has an id of its own, the one a receiver deduplicates on: a retry, or a
/// redelivery after a crash, carries the same one; an alert, its found notice and its escalation each
/// have theirs (derived from the alert's id and the kind, so nothing needs storing). Messages about an
/// alert name the alert separately. Both are bare UUIDs, written the same way by e-mail
/// (<see cref="MessageIdHeader"/>, <see cref="AlertIdHeader"/>) and by webhook (<c>webhook-id</c>,
/// <see cref="AlertIdHeader"/>, and <c>messageId</c>/<c>alertId</c> in the body).
/// </summary>
public static class MessageIds
{
    public const string MessageIdHeader = "X-Pare-Message-Id";
    public const string AlertIdHeader = "X-Pare-Alert-Id";
    public const string KindHeader = "X-Pare-Message-Kind";
    private const string Domain = "pare-cell";

    /// <summary>The message's own id. A referral update's row already holds its message's id.</summary>
    public static Guid For(Guid subjectId, MessageKind kind)
    {
        if (kind == MessageKind.ReferralUpdate) return subjectId;
        // A name-based UUID (RFC 9562 version 8): SHA-256 of the alert id and the kind.
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"pare-cell message\n{subjectId:D}\n{EnumNames.Wire(kind)}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    /// <summary>The e-mail's <c>Message-ID</c> (RFC 5322 wants <c>id@domain</c>): the message's id at pare-cell.</summary>
    public static string EmailMessageId(Guid messageId) => $"{messageId:D}@{Domain}";

    /// <summary>Sets the ids on an alert, found notice or escalation e-mail; the follow-ups thread under the alert.</summary>
    public static void Stamp(MimeMessage email, Guid alertId, MessageKind kind)
    {
        var messageId = For(alertId, kind);
        email.MessageId = EmailMessageId(messageId);
        email.Headers.Add(MessageIdHeader, messageId.ToString("D"));
        email.Headers.Add(AlertIdHeader, alertId.ToString("D"));
        email.Headers.Add(KindHeader, EnumNames.Wire(kind));
        if (kind == MessageKind.Alert) return;
        var alert = EmailMessageId(For(alertId, MessageKind.Alert));
        email.InReplyTo = alert;
        email.References.Add(alert);
    }
}
