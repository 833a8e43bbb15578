using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Pare.Cell.Api.Partners;

/// <summary>
/// API credentials of partner systems (OAuth 2 client credentials). The secret is shown once;
/// rotation replaces it; revocation takes effect on the very next request, since every partner
/// token is checked against this table.
/// <para>
/// Secrets are 256 random bits, so a slow password hash buys nothing against guessing and cost
/// 35–82 ms of CPU per attempt, only for known client ids — which told them apart from unknown
/// ones. They are stored as HMAC-SHA256 under a server key (<c>Partners:SecretKey</c>, derived
/// from <c>Auth:SigningKey</c> when absent): microseconds, the same work whether the client id
/// exists or not. Secrets stored by the earlier PBKDF2 scheme still verify, and are re-stored
/// under the new one at their first success. Failures are limited per client id, known or not
/// (<see cref="MaxFailures"/> in <see cref="FailureWindow"/>, then 429 until the window ends).
/// </para>
/// </summary>
public sealed class PartnerClients(NpgsqlDataSource dataSource, TimeProvider clock, IConfiguration configuration, Infrastructure.Auth.AuthSettings auth)
{
    public const int MaxFailures = 10;
    public static readonly TimeSpan FailureWindow = TimeSpan.FromMinutes(15);
    private const string KeyedScheme = "hmac-sha256";
    private const string LegacyScheme = "pbkdf2-sha256";

    private readonly byte[] _key = configuration["Partners:SecretKey"] is { Length: > 0 } key
        ? Encoding.UTF8.GetBytes(key)
        : HMACSHA256.HashData(auth.SigningKey?.Key ?? throw new InvalidOperationException("Set Partners:SecretKey (no Auth:SigningKey to derive it from)."),
            "pare-cell partner client secrets"u8);

    /// <summary>What an unknown client id's secret is compared with: the same work as a known one's.</summary>
    private static readonly byte[] NoSecret = new byte[32];
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
        alter table pare.partner_clients add column if not exists secret_scheme text not null default 'pbkdf2-sha256';
        -- Who handed out the current secret (issued or rotated it), and who revoked the client: a
        -- partner's reads are journaled under the client and this person.
        alter table pare.partner_clients add column if not exists issued_by text;
        alter table pare.partner_clients add column if not exists revoked_by text;

        -- Failed token requests per client id, known or not (no cell: an unknown id has none, and
        -- the row says nothing about one). Rows older than the window are deleted by housekeeping.
        create table if not exists pare.partner_auth_failures (
            client_id    text        primary key,
            window_start timestamptz not null,
            failures     int         not null
        );
        """;

    public sealed record Issued(string ClientId, string ClientSecret, IReadOnlyList<string> Scopes);

    /// <param name="IssuedBy">Who issued the client's current secret (null: issued before this was recorded).</param>
    public sealed record Client(string ClientId, string CellId, Guid PartnerId, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt,
        string? IssuedBy = null, string? RevokedBy = null);

    public async Task<Issued> IssueAsync(string cellId, Guid partnerId, IReadOnlyList<string> scopes, string issuedBy, CancellationToken cancellationToken)
    {
        var clientId = "pc_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        var (secret, hash) = NewSecret();
        await using var command = dataSource.CreateCommand($"""
            insert into pare.partner_clients (client_id, cell_id, partner_id, secret_salt, secret_hash, secret_scheme, scopes, created_at, issued_by)
            values ($1, $2, $3, '', $4, '{KeyedScheme}', $5, $6, $7)
            """);
        command.Parameters.Add(new() { Value = clientId });
        command.Parameters.Add(new() { Value = cellId });
        command.Parameters.Add(new() { Value = partnerId });
        command.Parameters.Add(new() { Value = hash });
        command.Parameters.Add(new() { Value = scopes.ToArray() });
        command.Parameters.Add(new() { Value = clock.GetUtcNow() });
        command.Parameters.Add(new() { Value = issuedBy });
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new Issued(clientId, secret, scopes);
    }

    public async Task<Issued?> RotateAsync(string cellId, Guid partnerId, string clientId, string rotatedBy, CancellationToken cancellationToken)
    {
        var (secret, hash) = NewSecret();
        await using var command = dataSource.CreateCommand($"""
            update pare.partner_clients set secret_salt = '', secret_hash = $4, secret_scheme = '{KeyedScheme}', issued_by = $5
            where client_id = $1 and cell_id = $2 and partner_id = $3 and revoked_at is null returning scopes
            """);
        command.Parameters.Add(new() { Value = clientId });
        command.Parameters.Add(new() { Value = cellId });
        command.Parameters.Add(new() { Value = partnerId });
        command.Parameters.Add(new() { Value = hash });
        command.Parameters.Add(new() { Value = rotatedBy });
        return await command.ExecuteScalarAsync(cancellationToken) is string[] scopes ? new Issued(clientId, secret, scopes) : null;
    }

    public async Task<bool> RevokeAsync(string cellId, Guid partnerId, string clientId, string revokedBy, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "update pare.partner_clients set revoked_at = $4, revoked_by = $5 where client_id = $1 and cell_id = $2 and partner_id = $3 and revoked_at is null");
        command.Parameters.Add(new() { Value = clientId });
        command.Parameters.Add(new() { Value = cellId });
        command.Parameters.Add(new() { Value = partnerId });
        command.Parameters.Add(new() { Value = clock.GetUtcNow() });
        command.Parameters.Add(new() { Value = revokedBy });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<Client>> ListAsync(string cellId, Guid partnerId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "select client_id, cell_id, partner_id, scopes, created_at, revoked_at, issued_by, revoked_by from pare.partner_clients where cell_id = $1 and partner_id = $2 order by created_at");
        command.Parameters.Add(new() { Value = cellId });
        command.Parameters.Add(new() { Value = partnerId });
        var clients = new List<Client>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            clients.Add(new Client(reader.GetString(0), reader.GetString(1), reader.GetGuid(2), (string[])reader[3], reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7)));
        return clients;
    }

    /// <summary>What a token request's credentials amount to: a client, a refusal, or a client id locked for a while.</summary>
    public abstract record Authentication
    {
        public sealed record Accepted(Client Client) : Authentication;
        public sealed record Refused : Authentication;
        public sealed record Locked(TimeSpan RetryAfter) : Authentication;
    }

    /// <summary>
    /// The client if the secret matches and it is not revoked; refused otherwise, never saying
    /// which; locked after <see cref="MaxFailures"/> failures for that client id in the window.
    /// One query finds the client and the failures, whether the id exists or not.
    /// </summary>
    public async Task<Authentication> AuthenticateAsync(string clientId, string secret, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var command = dataSource.CreateCommand("""
            select c.cell_id, c.partner_id, c.scopes, c.created_at, c.secret_salt, c.secret_hash, c.secret_scheme, f.failures, f.window_start, c.issued_by
            from (select $1::text as client_id) asked
            left join pare.partner_clients c on c.client_id = asked.client_id and c.revoked_at is null
            left join pare.partner_auth_failures f on f.client_id = asked.client_id and f.window_start > $2
            """);
        command.Parameters.Add(new() { Value = clientId });
        command.Parameters.Add(new() { Value = now - FailureWindow });
        Client? client = null;
        byte[] expected = NoSecret, salt = [];
        string scheme = KeyedScheme;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            if (!reader.IsDBNull(7) && reader.GetInt32(7) >= MaxFailures)
                return new Authentication.Locked(reader.GetFieldValue<DateTimeOffset>(8) + FailureWindow - now);
            if (!reader.IsDBNull(0))
            {
                client = new Client(clientId, reader.GetString(0), reader.GetGuid(1), (string[])reader[2], reader.GetFieldValue<DateTimeOffset>(3), null,
                    reader.IsDBNull(9) ? null : reader.GetString(9));
                (salt, expected, scheme) = ((byte[])reader[4], (byte[])reader[5], reader.GetString(6));
            }
        }

        var actual = scheme == LegacyScheme ? LegacyHash(secret, salt) : Hash(secret);
        if (CryptographicOperations.FixedTimeEquals(expected, actual) && client is not null)
        {
            await SucceededAsync(clientId, scheme == LegacyScheme ? Hash(secret) : null, cancellationToken);
            return new Authentication.Accepted(client);
        }
        await FailedAsync(clientId, now, cancellationToken);
        return new Authentication.Refused();
    }

    /// <summary>Forgets the failures; re-stores a secret of the earlier scheme under the keyed one.</summary>
    private async Task SucceededAsync(string clientId, byte[]? rehashed, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            with forgotten as (delete from pare.partner_auth_failures where client_id = $1)
            update pare.partner_clients set secret_salt = '', secret_hash = $2, secret_scheme = '{KeyedScheme}'
            where client_id = $1 and $2::bytea is not null and secret_scheme = '{LegacyScheme}'
            """);
        command.Parameters.Add(new() { Value = clientId });
        command.Parameters.Add(new() { Value = (object?)rehashed ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bytea });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task FailedAsync(string clientId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            insert into pare.partner_auth_failures as f (client_id, window_start, failures) values ($1, $2, 1)
            on conflict (client_id) do update set
                failures = case when f.window_start > $2 - $3 then f.failures + 1 else 1 end,
                window_start = case when f.window_start > $2 - $3 then f.window_start else $2 end
            """);
        command.Parameters.Add(new() { Value = clientId });
        command.Parameters.Add(new() { Value = now });
        command.Parameters.Add(new() { Value = FailureWindow });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Housekeeping: failures whose window has ended.</summary>
    public async Task<int> ForgetOldFailuresAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("delete from pare.partner_auth_failures where window_start < $1");
        command.Parameters.Add(new() { Value = clock.GetUtcNow() - FailureWindow });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Checked on every partner request: a revoked client's tokens stop working at once.</summary>
    public async Task<bool> IsActiveAsync(string clientId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("select 1 from pare.partner_clients where client_id = $1 and revoked_at is null");
        command.Parameters.Add(new() { Value = clientId });
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    private (string Secret, byte[] Hash) NewSecret()
    {
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (secret, Hash(secret));
    }

    private byte[] Hash(string secret) => HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(secret));

    /// <summary>The scheme secrets were stored by before: verified until the client's next success re-stores it.</summary>
    private static byte[] LegacyHash(string secret, byte[] salt) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, 100_000, HashAlgorithmName.SHA256, 32);
}

/// <summary>Claims a partner token carries beside sub (the client id), cell and role = partner.</summary>
public static class PartnerClaims
{
    public const string Role = "partner";
    public const string PartnerId = "partner";
    public const string Scope = "scope";
    /// <summary>Who issued the client's secret: named beside the client in the journal of its reads.</summary>
    public const string GrantedBy = "granted_by";

    public static bool HasScope(this ClaimsPrincipal user, string scope) =>
        user.FindFirst(Scope)?.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(scope) == true;

    public static Guid? Partner(this ClaimsPrincipal user) => Guid.TryParse(user.FindFirst(PartnerId)?.Value, out var id) ? id : null;
}
