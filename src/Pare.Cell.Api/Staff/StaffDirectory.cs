using System.Collections.Concurrent;
using System.Security.Claims;
using JasperFx;
using Npgsql;
using Pare.Cell.Api.Alerts;
using Pare.Cell.Api.Infrastructure.Auth;

namespace Pare.Cell.Api.Staff;

/// <summary>A member of the cell as the directory knows them. <see cref="Phone"/> is E.164.</summary>
public sealed record StaffMember(
    string Id, string Name, IReadOnlyList<string> Roles, string? Phone, string? Email, bool Active,
    DateTimeOffset FirstSeenAt, DateTimeOffset? DeactivatedAt, long Version)
{
    /// <summary>As a message names them: the phone as a French reader dials it.</summary>
    public StaffContact ToContact() => new(Id, Name, Phone is null ? null : Phones.Display(Phone), Email);
}

/// <summary>
/// The cell's staff directory (<c>pare.staff</c>, one row per cell member): everyone who signs in
/// appears, with the id, name and roles of their token; each keeps their professional phone and
/// e-mail current; a head deactivates and reactivates. The contact is versioned (the ETag).
/// <para>
/// Signing in is recorded on a member's first request to this process (and again when the token's
/// name or roles change): the hot path costs one lookup in a process-wide set.
/// </para>
/// </summary>
public sealed class StaffDirectory(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public const string Schema = """
        create schema if not exists pare;
        create table if not exists pare.staff (
            cell_id         text        not null,
            user_id         text        not null,
            name            text        not null,
            roles           text[]      not null,
            phone           text,
            email           text,
            active          boolean     not null default true,
            first_seen_at   timestamptz not null,
            deactivated_at  timestamptz,
            version         bigint      not null default 1,
            primary key (cell_id, user_id)
        );
        """;

    private const int MaxRemembered = 100_000;
    private readonly ConcurrentDictionary<string, byte> _recorded = new(StringComparer.Ordinal);

    private const string Columns = "user_id, name, roles, phone, email, active, first_seen_at, deactivated_at, version";

    /// <summary>Records a cell member's sign-in, once per process for the same name and roles.</summary>
    public async Task RecordSignInAsync(ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (user.FindFirstValue(Claims.Cell) is not { } cell || user.FindFirstValue(Claims.Subject) is not { } id) return;
        var roles = user.FindAll(Claims.Role).Select(c => c.Value).Where(r => r is Roles.Worker or Roles.Head or Roles.Admin).Order().ToArray();
        if (roles.Length == 0) return; // a partner's client is not a member of the cell
        var name = user.FindFirstValue(Claims.Name) is { Length: > 0 } n ? n : id;
        var key = $"{cell}\n{id}\n{name}\n{string.Join(',', roles)}";
        if (_recorded.ContainsKey(key)) return;

        await using var upsert = dataSource.CreateCommand("""
            insert into pare.staff (cell_id, user_id, name, roles, first_seen_at) values ($1, $2, $3, $4, $5)
            on conflict (cell_id, user_id) do update set name = excluded.name, roles = excluded.roles
            where (staff.name, staff.roles) is distinct from (excluded.name, excluded.roles)
            """);
        upsert.Parameters.Add(new() { Value = cell });
        upsert.Parameters.Add(new() { Value = id });
        upsert.Parameters.Add(new() { Value = name });
        upsert.Parameters.Add(new() { Value = roles });
        upsert.Parameters.Add(new() { Value = clock.GetUtcNow() });
        await upsert.ExecuteNonQueryAsync(cancellationToken);
        if (_recorded.Count >= MaxRemembered) _recorded.Clear();
        _recorded.TryAdd(key, 0);
    }

    public async Task<IReadOnlyList<StaffMember>> ListAsync(string cellId, CancellationToken cancellationToken)
    {
        await using var query = dataSource.CreateCommand($"select {Columns} from pare.staff where cell_id = $1 order by active desc, name, user_id");
        query.Parameters.Add(new() { Value = cellId });
        return await ReadAsync(query, cancellationToken);
    }

    public async Task<StaffMember?> FindAsync(string cellId, string id, CancellationToken cancellationToken) =>
        (await FindManyAsync(cellId, [id], cancellationToken)).GetValueOrDefault(id);

    public async Task<IReadOnlyDictionary<string, StaffMember>> FindManyAsync(string cellId, IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        await using var query = dataSource.CreateCommand($"select {Columns} from pare.staff where cell_id = $1 and user_id = any($2)");
        query.Parameters.Add(new() { Value = cellId });
        query.Parameters.Add(new() { Value = ids.Distinct().ToArray() });
        return (await ReadAsync(query, cancellationToken)).ToDictionary(m => m.Id);
    }

    /// <summary>Replaces a member's professional phone (E.164) and e-mail; 412 when the version read is stale.</summary>
    public async Task<StaffMember?> UpdateContactAsync(string cellId, string id, string? phone, string? email, long expectedVersion, CancellationToken cancellationToken)
    {
        await using var update = dataSource.CreateCommand($"""
            update pare.staff set phone = $3, email = $4, version = version + 1
            where cell_id = $1 and user_id = $2 and version = $5 returning {Columns}
            """);
        update.Parameters.Add(new() { Value = cellId });
        update.Parameters.Add(new() { Value = id });
        update.Parameters.Add(new() { Value = (object?)phone ?? DBNull.Value });
        update.Parameters.Add(new() { Value = (object?)email ?? DBNull.Value });
        update.Parameters.Add(new() { Value = expectedVersion });
        if ((await ReadAsync(update, cancellationToken)).SingleOrDefault() is { } updated) return updated;
        if (await FindAsync(cellId, id, cancellationToken) is null) return null;
        throw new ConcurrencyException($"Expected staff version {expectedVersion}.", typeof(StaffMember), id);
    }

    /// <summary>Deactivates or reactivates a member (idempotent); null when the cell has no such member.</summary>
    public async Task<StaffMember?> SetActiveAsync(string cellId, string id, bool active, CancellationToken cancellationToken)
    {
        await using var update = dataSource.CreateCommand($"""
            update pare.staff set active = $3, deactivated_at = case when $3 then null else coalesce(deactivated_at, $4) end,
                   version = version + case when active = $3 then 0 else 1 end
            where cell_id = $1 and user_id = $2 returning {Columns}
            """);
        update.Parameters.Add(new() { Value = cellId });
        update.Parameters.Add(new() { Value = id });
        update.Parameters.Add(new() { Value = active });
        update.Parameters.Add(new() { Value = clock.GetUtcNow() });
        return (await ReadAsync(update, cancellationToken)).SingleOrDefault();
    }

    private static async Task<List<StaffMember>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var members = new List<StaffMember>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            members.Add(new StaffMember(
                reader.GetString(0), reader.GetString(1), reader.GetFieldValue<string[]>(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetBoolean(5), reader.GetFieldValue<DateTimeOffset>(6),
                reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7), reader.GetInt64(8)));
        return members;
    }
}
