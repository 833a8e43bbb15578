using System.Security.Cryptography;
using System.Text;
using Pare.Cell.Api.Infrastructure.Auth;

namespace Pare.Cell.Api.Caseload;

/// <summary>Stable per-case pseudonyms for exports: HMAC-SHA256 of the case id; not the cell's reference.</summary>
public sealed class Pseudonyms(IConfiguration configuration, AuthSettings auth)
{
    private readonly byte[] _key = configuration["Exports:PseudonymKey"] is { Length: > 0 } key
        ? Encoding.UTF8.GetBytes(key)
        : HMACSHA256.HashData(auth.SigningKey?.Key ?? throw new InvalidOperationException("Set Exports:PseudonymKey."), "pare-cell export pseudonyms"u8);

    public string For(Guid caseId) => "X" + Convert.ToHexString(HMACSHA256.HashData(_key, caseId.ToByteArray()))[..11];
}
