using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Pare.Cell.Api.Infrastructure.Auth;

namespace Pare.Cell.Api.Alerts;

/// <summary>
/// Signed, expiring acknowledgement links: whoever holds the link (the prosecutor's office) may
/// acknowledge that one alert until it expires, with no account. HMAC-SHA256 over cell, case,
/// alert and expiry; compared in constant time.
/// </summary>
public sealed class AlertLinks(IOptions<AlertSettings> options, AuthSettings auth, TimeProvider clock)
{
    private readonly byte[] _key = KeyFrom(options.Value, auth);

    public Uri For(string cellId, Guid caseId, Guid alertId)
    {
        var expires = clock.GetUtcNow().Add(options.Value.LinkLifetime).ToUnixTimeSeconds();
        var signature = Sign(cellId, caseId, alertId, expires);
        var query = $"cell={Uri.EscapeDataString(cellId)}&case={caseId}&expires={expires}&signature={signature}";
        return new Uri($"{options.Value.PublicBaseUrl.TrimEnd('/')}/api/v1/alerts/{alertId}/acknowledgement?{query}");
    }

    public bool IsValid(string cellId, Guid caseId, Guid alertId, long expires, string signature)
    {
        // Compared as seconds: an absurd expiry is simply not a valid link (no DateTimeOffset to overflow).
        if (expires < clock.GetUtcNow().ToUnixTimeSeconds()) return false;
        var expected = Encoding.ASCII.GetBytes(Sign(cellId, caseId, alertId, expires));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature));
    }

    private string Sign(string cellId, Guid caseId, Guid alertId, long expires)
    {
        var mac = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{cellId}\n{caseId}\n{alertId}\n{expires}"));
        return Convert.ToBase64String(mac).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static byte[] KeyFrom(AlertSettings settings, AuthSettings auth)
    {
        if (!string.IsNullOrEmpty(settings.LinkSigningKey)) return Encoding.UTF8.GetBytes(settings.LinkSigningKey);
        var root = auth.SigningKey?.Key ?? throw new InvalidOperationException("Set Alerts:LinkSigningKey (no Auth:SigningKey to derive it from).");
        return HMACSHA256.HashData(root, "pare-cell alert acknowledgement links"u8);
    }
}
