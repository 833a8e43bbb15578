using MimeKit;

namespace Pare.Cell.Api.Alerts;

/// <summary>
/// The one reading of an e-mail address, shared by input validation and the mailer: an address is
/// accepted only if MimeKit, strict, reads it as exactly one bare mailbox equal to what was typed,
/// so an address saved is an address an alert can be sent to. MimeKit alone lets through a line or
/// paragraph separator (U+2028/2029) in the domain, a domain without a dot and a domain literal
/// (<c>a@[10.0.0.5]</c>); those are refused here too, with any control character, a display name,
/// a comment, a group or a list.
/// </summary>
public static class Mailboxes
{
    public const int MaxLength = 254;

    private static readonly ParserOptions Strict = new()
    {
        AddressParserComplianceMode = RfcComplianceMode.Strict,
        Rfc2047ComplianceMode = RfcComplianceMode.Strict,
        AllowAddressesWithoutDomain = false,
        AllowUnquotedCommasInAddresses = false,
    };

    public static bool TryParse(string? text, out MailboxAddress mailbox)
    {
        mailbox = null!;
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength || text.Any(IsForbidden)) return false;
        if (!MailboxAddress.TryParse(Strict, text, out var parsed) || !string.IsNullOrEmpty(parsed.Name) || parsed.Address != text) return false;
        var at = text.LastIndexOf('@');
        var local = text[..at];
        var domain = text[(at + 1)..];
        // Non-ASCII local parts need SMTPUTF8, which relays may not offer; an accented domain is
        // sent as IDN (punycode), which every relay takes.
        if (local.Any(c => c > 0x7f) || domain.StartsWith('[') || !domain.Contains('.', StringComparison.Ordinal)) return false;
        mailbox = parsed;
        return true;
    }

    /// <summary>An address to send to; one that would not parse is a delivery failure that names no content.</summary>
    public static MailboxAddress Parse(string text) =>
        TryParse(text, out var mailbox) ? mailbox : throw new DeliveryException("recipient address invalid");

    private static bool IsForbidden(char c) =>
        char.IsControl(c) || c is '\u2028' or '\u2029' or '\u0085' or '\ufeff' || char.IsWhiteSpace(c) && c != ' ';
}
