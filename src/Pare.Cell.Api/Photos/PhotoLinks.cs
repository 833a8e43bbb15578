using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Pare.Cell.Api.Alerts;
using Pare.Cell.Api.Infrastructure.Auth;

namespace Pare.Cell.Api.Photos;

/// <summary>
/// Short-lived signed links to one photo for one reader (a partner's client): whoever holds the
/// link may fetch that photo until it expires (10 minutes), and each fetch is journaled under the
/// reader it was issued to. HMAC-SHA256 over cell, photo, reader and expiry. The link names no
/// case: a partner never learns a case's id (the photo's row knows its case).
/// </summary>
public sealed class PhotoLinks(IOptions<AlertSettings> options, AuthSettings auth, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly byte[] _key = HMACSHA256.HashData(
        !string.IsNullOrEmpty(options.Value.LinkSigningKey) ? Encoding.UTF8.GetBytes(options.Value.LinkSigningKey)
            : auth.SigningKey?.Key ?? throw new InvalidOperationException("Set Alerts:LinkSigningKey."),
        "pare-cell photo links"u8);

    public Uri For(string cellId, Guid photoId, string readerId)
    {
        var expires = clock.GetUtcNow().Add(Lifetime).ToUnixTimeSeconds();
        var query = $"cell={Uri.EscapeDataString(cellId)}&reader={Uri.EscapeDataString(readerId)}&expires={expires}&signature={Sign(cellId, photoId, readerId, expires)}";
        return new Uri($"{options.Value.PublicBaseUrl.TrimEnd('/')}/api/v1/photo-links/{photoId}?{query}");
    }

    public bool IsValid(string cellId, Guid photoId, string readerId, long expires, string signature)
    {
        if (expires < clock.GetUtcNow().ToUnixTimeSeconds()) return false;
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(cellId, photoId, readerId, expires)), Encoding.ASCII.GetBytes(signature));
    }

    private string Sign(string cellId, Guid photoId, string readerId, long expires) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{cellId}\n{photoId}\n{readerId}\n{expires}")))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
