using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;
using Pare.Cell.Api.Infrastructure.Auth;

namespace Pare.Cell.Api.Infrastructure.Http;

/// <summary>
/// An answer as replayed: status, the headers a client acts on, and the body; with the cases the
/// answer showed (journaled again when it is replayed, since it shows them again).
/// </summary>
public sealed record IdempotentAnswer(int Status, string? ContentType, string? Location, string? ETag, byte[] Body, Guid[]? JournaledCases = null);

/// <summary>
/// Stored answers are sealed with AES-256-GCM: the answer to opening a case carries the minor's
/// names and date of birth, which must not sit in clear outside the case's events and documents.
/// The key is <c>Idempotency:AnswerKey</c>, or derived from <c>Auth:SigningKey</c> like the other
/// derived keys; the key's cell, caller and key are the associated data, so a sealed answer opens
/// only for the request it answers.
/// </summary>
public sealed class IdempotentAnswers(IConfiguration configuration, AuthSettings auth)
{
    private const byte Format = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly byte[] _key = configuration["Idempotency:AnswerKey"] is { Length: > 0 } key
        ? SHA256.HashData(Encoding.UTF8.GetBytes(key))
        : HMACSHA256.HashData(auth.SigningKey?.Key ?? throw new InvalidOperationException("Set Idempotency:AnswerKey."), "pare-cell idempotent answers"u8);

    public byte[] Seal(IdempotentRequest request, IdempotentAnswer answer) => Seal(request.CellId, request.Principal, request.Key, answer);

    public IdempotentAnswer Open(IdempotentRequest request, byte[] sealedAnswer)
    {
        if (sealedAnswer.Length < 1 + NonceSize + TagSize || sealedAnswer[0] != Format) throw new CryptographicException("Unknown sealed answer format.");
        var nonce = sealedAnswer.AsSpan(1, NonceSize);
        var tag = sealedAnswer.AsSpan(1 + NonceSize, TagSize);
        var cipher = sealedAnswer.AsSpan(1 + NonceSize + TagSize);
        var plain = new byte[cipher.Length];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(nonce, cipher, tag, plain, AssociatedData(request.CellId, request.Principal, request.Key));
        return JsonSerializer.Deserialize<IdempotentAnswer>(plain)!;
    }

    private byte[] Seal(string cellId, string principal, string key, IdempotentAnswer answer)
    {
        var plain = JsonSerializer.SerializeToUtf8Bytes(answer);
        var sealedAnswer = new byte[1 + NonceSize + TagSize + plain.Length];
        sealedAnswer[0] = Format;
        var nonce = sealedAnswer.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plain, sealedAnswer.AsSpan(1 + NonceSize + TagSize), sealedAnswer.AsSpan(1 + NonceSize, TagSize),
            AssociatedData(cellId, principal, key));
        return sealedAnswer;
    }

    private static byte[] AssociatedData(string cellId, string principal, string key) => Encoding.UTF8.GetBytes($"{cellId}\n{principal}\n{key}");

    /// <summary>
    /// Answers stored in clear by earlier versions (columns status … body) are sealed in place, then
    /// those columns dropped: part of <c>migrate</c>, so no answer stays in clear after an upgrade.
    /// </summary>
    public async Task SealLegacyAnswersAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using (var exists = new NpgsqlCommand("""
            select count(*) from information_schema.columns
            where table_schema = 'pare' and table_name = 'idempotent_requests' and column_name = 'body'
            """, connection))
            if ((long)(await exists.ExecuteScalarAsync(cancellationToken))! == 0) return;

        var legacy = new List<(string Cell, string Principal, string Key, IdempotentAnswer Answer)>();
        await using (var read = new NpgsqlCommand(
            "select cell_id, principal, key, status, content_type, location, etag, body from pare.idempotent_requests where status is not null and answer is null",
            connection))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
                legacy.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), new IdempotentAnswer(reader.GetInt32(3),
                    reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) || reader.GetString(5).Length == 0 ? null : reader.GetString(5),
                    reader.IsDBNull(6) || reader.GetString(6).Length == 0 ? null : reader.GetString(6), reader.IsDBNull(7) ? [] : (byte[])reader[7])));
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var (cell, principal, key, answer) in legacy)
        {
            await using var update = new NpgsqlCommand(
                "update pare.idempotent_requests set answer = $4 where cell_id = $1 and principal = $2 and key = $3", connection, transaction);
            update.Parameters.Add(new() { Value = cell });
            update.Parameters.Add(new() { Value = principal });
            update.Parameters.Add(new() { Value = key });
            update.Parameters.Add(new() { Value = Seal(cell, principal, key, answer) });
            await update.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var drop = new NpgsqlCommand(
            "alter table pare.idempotent_requests drop column status, drop column content_type, drop column location, drop column etag, drop column body",
            connection, transaction))
            await drop.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
