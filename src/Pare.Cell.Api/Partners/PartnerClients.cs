using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Pare.Cell.Api.Partners;

/// <summary>
/// API credentials of partner systems (OAuth 2 client credentials). The secret is shown once and
/// stored as a salted PBKDF2 hash; rotation replaces it; revocation takes effect on the very next
/// request, since every partner token is checked against this table.
/// </summary>
public sealed class PartnerClients(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public static readonly string[] KnownScopes = ["referrals:read", "referrals:respond", "episodes:report"];

    public const string Schema = """
        create schema if not exists pare;
        create table if not exists pare.partner_clients (
            client_id   text        primary key,
            cell_id     text        not null,
            partner_id  uuid        not null,
            secret_salt bytea       not null,
            secret_hash bytea       not null,
            scopes      text[]      not null,
            created_at  timestamptz not null,
            revoked_at  timestamptz
        );
        create index if not exists partner_clients_by_partner on pare.partner_clients (cell_id, partner_id);
        """;

    public sealed record Issued(string ClientId, string ClientSecret, IReadOnlyList<string> Scopes);

    public sealed record Client(string ClientId, string CellId, Guid PartnerId, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

    public async Task<Issued> IssueAsync(string cellId, Guid partnerId, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        var clientId = "pc_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var (secret, salt, hash) = NewSecret();
        await using var command = dataSource.CreateCommand("""
            insert into pare.partner_clients (client_id, cell_id, partner_id, secret_salt, secret_hash, scopes, created_at) values ($1, $2, $3, $4, $5, $6, $7)
            """);
        command.Parameters.Add(new() { Value = clientId });
        command.Parameters.Add(new() { Value = cellId });
        command.Parameters.Add(new() { Value = partnerId });
        command.Parameters.Add(new() { Value = salt });
        command.Parameters.Add(new() { Value = hash });
        command.Parameters.Add(new() { Value = scopes.ToArray() });
        command.Parameters.Add(new() { Value = clock.GetUtcNow() });
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new Issued(clientId, secret, scopes);
    }

    public async Task<Issued?> RotateAsync(string cellId, Guid partnerId, string clientId, CancellationToken cancellationToken)
    {
        var (secret, salt, hash) = NewSecret();
        await using var command = dataSource.CreateCommand("""
            update pare.partner_clients set secret_salt = $4, secret_hash = $5
            where client_id = $1 and cell_id = $2 and partner_id = $3 and revoked_at is null returning scopes
            """);
        command.Parameters.Add(new() { Value = clientId });
        command.Parameters.Add(new() { Value = cellId });
        command.Parameters.Add(new() { Value = partnerId });
        command.Parameters.Add(new() { Value = salt });
        command.Parameters.Add(new() { Value = hash });
        return await command.ExecuteScalarAsync(cancellationToken) is string[] scopes ? new Issued(clientId, secret, scopes) : null;
    }

    public async Task<bool> RevokeAsync(string cellId, Guid partnerId, string clientId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "update pare.partner_clients set revoked_at = $4 where client_id = $1 and cell_id = $2 and partner_id = $3 and revoked_at is null");
        command.Parameters.Add(new() { Value = clientId });
        command.Parameters.Add(new() { Value = cellId });
        command.Parameters.Add(new() { Value = partnerId });
        command.Parameters.Add(new() { Value = clock.GetUtcNow() });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<Client>> ListAsync(string cellId, Guid partnerId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "select client_id, cell_id, partner_id, scopes, created_at, revoked_at from pare.partner_clients where cell_id = $1 and partner_id = $2 order by created_at");
        command.Parameters.Add(new() { Value = cellId });
        command.Parameters.Add(new() { Value = partnerId });
        var clients = new List<Client>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            clients.Add(new Client(reader.GetString(0), reader.GetString(1), reader.GetGuid(2), (string[])reader[3], reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5)));
        return clients;
    }

    /// <summary>The client if the secret matches and it is not revoked; null otherwise (never says which).</summary>
    public async Task<Client?> AuthenticateAsync(string clientId, string secret, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "select cell_id, partner_id, scopes, created_at, secret_salt, secret_hash from pare.partner_clients where client_id = $1 and revoked_at is null");
        command.Parameters.Add(new() { Value = clientId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        var expected = (byte[])reader[5];
        var actual = Hash(secret, (byte[])reader[4]);
        if (!CryptographicOperations.FixedTimeEquals(expected, actual)) return null;
        return new Client(clientId, reader.GetString(0), reader.GetGuid(1), (string[])reader[2], reader.GetFieldValue<DateTimeOffset>(3), null);
    }

    /// <summary>Checked on every partner request: a revoked client's tokens stop working at once.</summary>
    public async Task<bool> IsActiveAsync(string clientId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("select 1 from pare.partner_clients where client_id = $1 and revoked_at is null");
        command.Parameters.Add(new() { Value = clientId });
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    private static (string Secret, byte[] Salt, byte[] Hash) NewSecret()
    {
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var salt = RandomNumberGenerator.GetBytes(16);
        return (secret, salt, Hash(secret, salt));
    }

    private static byte[] Hash(string secret, byte[] salt) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, 100_000, HashAlgorithmName.SHA256, 32);
}

/// <summary>Claims a partner token carries beside sub (the client id), cell and role = partner.</summary>
public static class PartnerClaims
{
    public const string Role = "partner";
    public const string PartnerId = "partner";
    public const string Scope = "scope";

    public static bool HasScope(this ClaimsPrincipal user, string scope) =>
        user.FindFirst(Scope)?.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(scope) == true;

    public static Guid? Partner(this ClaimsPrincipal user) => Guid.TryParse(user.FindFirst(PartnerId)?.Value, out var id) ? id : null;
}
