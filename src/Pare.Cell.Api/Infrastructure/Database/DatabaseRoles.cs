using Npgsql;

namespace Pare.Cell.Api.Infrastructure.Database;

/// <summary>
/// Least privilege in PostgreSQL: two roles.
/// <list type="bullet">
/// <item>The <b>owner</b> owns the schemas and runs <c>migrate</c> (DDL, the journal's retention).</item>
/// <item>The <b>application role</b> is what the API and the job servers connect as: it reads and
/// writes the rows of the schemas the application uses, appends to and reads the access journal,
/// and calls its purge. It owns nothing, so it cannot change a table, disable a trigger, update,
/// delete or truncate the journal, or choose how long the journal is kept.</item>
/// </list>
/// <c>migrate</c> grants the application role (creating it when it is missing and its password is
/// known) after every schema change, over every table of <see cref="ApplicationSchemas"/>: a table
/// added to one of them is granted by the next <c>migrate</c>, with no list to keep up to date.
/// </summary>
public static partial class DatabaseRoles
{
    /// <summary>Schemas whose every table, sequence and function the application role uses.</summary>
    public static readonly string[] ApplicationSchemas = [EventStore.Schema, SchemaMigrator.HangfireSchema];

    /// <summary>
    /// Tables of those schemas the application appends to but never deletes from: the event store.
    /// (Retention masks events in place with UPDATE; nothing in the application deletes an event.)
    /// </summary>
    public static readonly string[] NoDeleteTables = [$"{EventStore.Schema}.mt_events", $"{EventStore.Schema}.mt_streams"];

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial System.Text.RegularExpressions.Regex RoleName();

    /// <summary>The grants, from nothing: a role that held more (a former owner…) is brought back to these.</summary>
    public static string Grants(string role)
    {
        var r = Identifier(role);
        var sql = new System.Text.StringBuilder();
        sql.AppendLine($"do $$ begin execute format('grant connect on database %I to %I', current_database(), '{role}'); end $$;");
        foreach (var schema in ApplicationSchemas)
        {
            sql.AppendLine($"""
                revoke all on all tables in schema {schema} from {r};
                grant usage on schema {schema} to {r};
                grant select, insert, update, delete on all tables in schema {schema} to {r};
                grant usage, select on all sequences in schema {schema} to {r};
                grant execute on all functions in schema {schema} to {r};
                """);
        }
        foreach (var table in NoDeleteTables)
            sql.AppendLine($"revoke delete on {table} from {r};");
        sql.AppendLine($"""
            revoke all on all tables in schema audit from {r};
            grant usage on schema audit to {r};
            grant select, insert on audit.access_journal to {r};
            grant select, insert on audit.search_journal to {r};
            grant usage on all sequences in schema audit to {r};
            grant execute on function audit.purge_access_journal() to {r};
            """);
        return sql.ToString();
    }

    /// <summary>
    /// Creates the application role if it does not exist (LOGIN, nothing else; needs CREATEROLE or
    /// a superuser), then grants it. Refuses a superuser or the owner itself: that would be no
    /// least privilege at all.
    /// </summary>
    public static async Task GrantApplicationRoleAsync(NpgsqlConnection owner, ApplicationRole role, ILogger logger, CancellationToken cancellationToken)
    {
        if (!RoleName().IsMatch(role.Name))
            throw new InvalidOperationException($"Application role '{role.Name}': use lower-case letters, digits and underscores.");

        await using (var find = new NpgsqlCommand("select rolsuper, rolname = current_user from pg_roles where rolname = $1", owner))
        {
            find.Parameters.Add(new() { Value = role.Name });
            await using var found = await find.ExecuteReaderAsync(cancellationToken);
            if (await found.ReadAsync(cancellationToken))
            {
                if (found.GetBoolean(0) || found.GetBoolean(1))
                    throw new InvalidOperationException(
                        $"The application role '{role.Name}' is a superuser or the schema's owner: give the API a role of its own.");
            }
            else
            {
                await found.DisposeAsync();
                if (role.Password is null)
                    throw new InvalidOperationException(
                        $"The application role '{role.Name}' does not exist: create it (create role {role.Name} login password '…') or give its password to migrate.");
                await using var statement = new NpgsqlCommand(
                    "select format('create role %I login password %L nosuperuser nocreatedb nocreaterole noreplication nobypassrls', $1, $2)", owner);
                statement.Parameters.Add(new() { Value = role.Name });
                statement.Parameters.Add(new() { Value = role.Password });
                var create = (string)(await statement.ExecuteScalarAsync(cancellationToken))!;
                await using var creation = new NpgsqlCommand(create, owner);
                await creation.ExecuteNonQueryAsync(cancellationToken);
                logger.LogInformation("Created the application role {Role}", role.Name);
            }
        }

        await using var grants = new NpgsqlCommand(Grants(role.Name), owner);
        await grants.ExecuteNonQueryAsync(cancellationToken);
        logger.LogInformation("Granted the application role {Role}", role.Name);
    }

    private static string Identifier(string name) =>
        RoleName().IsMatch(name) ? $"\"{name}\"" : throw new InvalidOperationException($"Invalid role name '{name}'.");
}

/// <summary>The role the API and job servers connect as; its password, when <c>migrate</c> may create it.</summary>
public sealed record ApplicationRole(string Name, string? Password);
