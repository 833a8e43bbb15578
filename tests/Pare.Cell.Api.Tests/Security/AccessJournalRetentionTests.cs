using Npgsql;
using Pare.Cell.Api.Infrastructure.Database;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Security;

[Collection(ApiCollection.Name)]
public sealed class AccessJournalRetentionTests(PareApp app)
{
    [Fact]
    public async Task The_application_role_cannot_change_the_journal_and_only_entries_past_retention_are_purged()
    {
        var oldCase = Guid.NewGuid();
        var recentCase = Guid.NewGuid();
        await app.ScalarAsync("insert into audit.access_journal (cell_id, user_id, case_id, action, occurred_at) values ('cell-ret', 'u', $1, 'case.read', now() - interval '13 months')", oldCase);
        await app.ScalarAsync("insert into audit.access_journal (cell_id, user_id, case_id, action, occurred_at) values ('cell-ret', 'u', $1, 'case.read', now() - interval '10 days')", recentCase);

        var role = $"pare_app_{Guid.NewGuid():N}"[..20];
        await app.ScalarAsync($"create role \"{role}\" login");
        await using (var owner = new NpgsqlConnection(app.ConnectionString))
        {
            await owner.OpenAsync();
            await using var grants = new NpgsqlCommand(AccessJournal.ApplicationRoleGrants(role), owner);
            await grants.ExecuteNonQueryAsync();
        }

        await using var asApp = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(app.ConnectionString) { Username = role, Pooling = false }.ConnectionString);
        await asApp.OpenAsync();
        async Task<string> Attempt(string sql)
        {
            await using var command = new NpgsqlCommand(sql, asApp);
            try { await command.ExecuteNonQueryAsync(); return "done"; }
            catch (PostgresException e) { return e.SqlState; }
        }

        (await Attempt($"update audit.access_journal set user_id = 'x' where case_id = '{recentCase}'")).ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
        (await Attempt($"delete from audit.access_journal where case_id = '{recentCase}'")).ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
        (await Attempt("truncate audit.access_journal")).ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
        (await Attempt($"select set_config('pare.journal_purge', 'on', false); delete from audit.access_journal where case_id = '{oldCase}'")).ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
        (await Attempt($"insert into audit.access_journal (cell_id, user_id, case_id, action, occurred_at) values ('cell-ret', 'u', '{recentCase}', 'case.read', now())")).ShouldBe("done");

        await using (var purge = new NpgsqlCommand("select audit.purge_access_journal(interval '12 months')", asApp))
            ((long)(await purge.ExecuteScalarAsync())!).ShouldBeGreaterThanOrEqualTo(1);
        await using (var purgeAll = new NpgsqlCommand("select audit.purge_access_journal(interval '1 second')", asApp))
            await purgeAll.ExecuteScalarAsync(); // asks too much: never below 30 days

        (await app.ScalarAsync("select count(*) from audit.access_journal where case_id = $1", oldCase)).ShouldBe(0);
        (await app.ScalarAsync("select count(*) from audit.access_journal where case_id = $1", recentCase)).ShouldBe(2);
    }
}
