using System.Diagnostics;
using Npgsql;
using Pare.Cell.Api.Infrastructure.Database;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Security;

/// <summary>
/// The application role (what the API and the job servers connect as; the whole suite runs the app
/// as it) against the journal and the schema, and the migrate command that creates and grants it.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class DatabaseRolesTests(PareApp app)
{
    private async Task<NpgsqlConnection> AsApplicationAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(app.AppConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<string> AttemptAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        try
        {
            await command.ExecuteNonQueryAsync();
            return "done";
        }
        catch (PostgresException e)
        {
            return e.SqlState;
        }
    }

    [Fact]
    public async Task The_application_role_cannot_change_the_journal_disable_its_triggers_or_choose_its_retention()
    {
        var entry = Guid.NewGuid();
        await app.ScalarAsync("insert into audit.access_journal (cell_id, user_id, case_id, action, occurred_at) values ('cell-r', 'u', $1, 'case.read', now() - interval '400 days')", entry);
        await using var asApp = await AsApplicationAsync();
        var journal = $"audit.access_journal where case_id = '{entry}'";

        (await AttemptAsync(asApp, $"update audit.access_journal set user_id = 'x' where case_id = '{entry}'")).ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
        (await AttemptAsync(asApp, $"delete from {journal}")).ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
        (await AttemptAsync(asApp, "truncate audit.access_journal")).ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
        (await AttemptAsync(asApp, $"select set_config('pare.journal_purge', 'on', false); delete from {journal}")).ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
        // Triggers: neither switched off for the session nor disabled on the table.
        (await AttemptAsync(asApp, "set session_replication_role = replica")).ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
        (await AttemptAsync(asApp, "alter table audit.access_journal disable trigger all")).ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
        (await AttemptAsync(asApp, "drop trigger access_journal_is_append_only on audit.access_journal")).ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
        // The retention: no argument to pass, no table to write, no function to replace.
        (await AttemptAsync(asApp, "select audit.purge_access_journal('0')")).ShouldBe(PostgresErrorCodes.UndefinedFunction);
        (await AttemptAsync(asApp, "update audit.journal_retention set retention = interval '1 second'")).ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
        (await AttemptAsync(asApp, "select retention from audit.journal_retention")).ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
        (await AttemptAsync(asApp, "create or replace function audit.purge_access_journal() returns bigint language sql as 'select 0::bigint'"))
            .ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
        (await AttemptAsync(asApp, "create function pare.purge_access_journal() returns bigint language sql as 'select 0::bigint'"))
            .ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
        // What it may do: append, and purge what is past the owner's retention.
        (await AttemptAsync(asApp, $"insert into audit.access_journal (cell_id, user_id, case_id, action, occurred_at) values ('cell-r', 'u', '{entry}', 'case.read', now())")).ShouldBe("done");
        (await AttemptAsync(asApp, "select audit.purge_access_journal()")).ShouldBe("done");

        (await app.ScalarAsync($"select count(*) from {journal}")).ShouldBe(1); // the 400-day-old entry is past 12 months
    }

    [Fact]
    public async Task The_purge_keeps_every_entry_younger_than_the_retention_the_owner_set()
    {
        var cases = new[] { 13, 11, 7, 1 }.ToDictionary(months => months, _ => Guid.NewGuid());
        foreach (var (months, caseId) in cases)
            await app.ScalarAsync("insert into audit.access_journal (cell_id, user_id, case_id, action, occurred_at) values ('cell-r', 'u', $1, 'case.read', now() - make_interval(months => $2))", caseId, months);
        await using var asApp = await AsApplicationAsync();
        await using (var purge = new NpgsqlCommand("select audit.purge_access_journal()", asApp))
            ((long)(await purge.ExecuteScalarAsync())!).ShouldBeGreaterThanOrEqualTo(1);

        foreach (var (months, caseId) in cases)
            (await app.ScalarAsync("select count(*) from audit.access_journal where case_id = $1", caseId)).ShouldBe(months > 12 ? 0 : 1, $"{months} months old");
    }

    /// <summary>Every table of every schema but PostgreSQL's own (followed by more conditions).</summary>
    private const string Tables = """
        select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relkind in ('r', 'p') and n.nspname not like 'pg\_%' and n.nspname <> 'information_schema'
        """;

    [Fact]
    public async Task The_application_role_owns_nothing_may_truncate_nothing_and_deletes_no_event()
    {
        var role = PostgresServer.ApplicationRole;
        (await app.ScalarAsync("select count(*) from pg_roles where rolname = $1 and (rolsuper or rolcreaterole or rolcreatedb or rolbypassrls or rolreplication)", role)).ShouldBe(0);
        (await app.ScalarAsync("select count(*) from pg_class c join pg_roles r on r.oid = c.relowner where r.rolname = $1", role)).ShouldBe(0);
        (await app.ScalarAsync("select count(*) from pg_namespace n join pg_roles r on r.oid = n.nspowner where r.rolname = $1", role)).ShouldBe(0);
        (await app.ScalarAsync($"{Tables} and has_table_privilege($1, c.oid, 'TRUNCATE, REFERENCES, TRIGGER')", role)).ShouldBe(0);
        (await app.ScalarAsync("select count(*) from pg_namespace where nspname not like 'pg\\_%' and has_schema_privilege($1, oid, 'CREATE')", role)).ShouldBe(0);
        (await app.ScalarAsync($"{Tables} and n.nspname = 'audit' and has_table_privilege($1, c.oid, 'UPDATE, DELETE')", role)).ShouldBe(0);
        foreach (var table in DatabaseRoles.NoDeleteTables)
        {
            (await app.ScalarAsync("select count(*) where has_table_privilege($1, $2, 'DELETE')", role, table)).ShouldBe(0, table);
            (await app.ScalarAsync("select count(*) where has_table_privilege($1, $2, 'INSERT')", role, table)).ShouldBe(1, table);
        }
        // Every table of the schemas the application uses is granted, whoever added it.
        (await app.ScalarAsync($"{Tables} and n.nspname = any($2) and not has_table_privilege($1, c.oid, 'SELECT, INSERT, UPDATE')",
            role, DatabaseRoles.ApplicationSchemas)).ShouldBe(0);
    }

    [Fact]
    public void The_application_refuses_to_connect_as_a_superuser()
    {
        using var dataSource = PareDatabase.CreateDataSource(app.ConnectionString);
        Should.Throw<SuperuserConnectionException>(() => dataSource.OpenConnection());
    }

    /// <summary>The README's command, as a deployment runs it: owner's connection, the API's connection, a retention.</summary>
    [Fact]
    public async Task Migrate_creates_the_application_role_from_the_API_s_connection_and_grants_it()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        var role = $"pare_app_{Guid.NewGuid():N}"[..24];
        var api = new NpgsqlConnectionStringBuilder(database) { Username = role, Password = "s3cret-for-this-test", Pooling = false }.ConnectionString;
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Pare.Cell.Api.dll"), "migrate"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__PareOwner"] = database; // a superuser may create roles; an owner needs CREATEROLE
        start.Environment["ConnectionStrings__Pare"] = api;
        start.Environment["Auth__SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48));
        start.Environment["AccessJournal__RetentionMonths"] = "18";
        using var migrate = Process.Start(start)!;
        var output = migrate.StandardOutput.ReadToEndAsync();
        var errors = migrate.StandardError.ReadToEndAsync();
        await migrate.WaitForExitAsync();
        migrate.ExitCode.ShouldBe(0, await output + await errors);

        await using var asApp = new NpgsqlConnection(api);
        await asApp.OpenAsync();
        (await AttemptAsync(asApp, "insert into pare.alert_outbox (alert_id, kind, channel, cell_id, case_id, created_at, next_attempt_at) values (gen_random_uuid(), 'alert', 'email', 'c', gen_random_uuid(), now(), now())")).ShouldBe("done");
        (await AttemptAsync(asApp, "select count(*) from hangfire.job")).ShouldBe("done");
        (await AttemptAsync(asApp, "truncate pare.alert_outbox")).ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
        await using var owner = new NpgsqlConnection(database);
        await owner.OpenAsync();
        await using var retention = new NpgsqlCommand("select retention = interval '18 months' from audit.journal_retention", owner);
        ((bool)(await retention.ExecuteScalarAsync())!).ShouldBeTrue();
    }
}
