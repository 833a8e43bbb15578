using Case = Pare.Cell.Domain.Cases.Case;
using Npgsql;
using NpgsqlTypes;
using Pare.Cell.Api.Infrastructure.Auth;

namespace Pare.Cell.Api.Infrastructure.Database;

/// <summary>
/// Who read which minor's data, and when. Every endpoint that returns case data appends here
/// before answering. The table is append-only: triggers reject UPDATE, DELETE and TRUNCATE for
/// every role, the application's included (see <see cref="Schema"/>).
/// </summary>
public sealed class AccessJournal(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public const string Schema = """
        create schema if not exists audit;
        create table if not exists audit.access_journal (
            id          bigint generated always as identity primary key,
            cell_id     text        not null,
            user_id     text        not null,
            case_id     uuid        not null,
            action      text        not null,
            occurred_at timestamptz not null
        );
        create index if not exists access_journal_by_case on audit.access_journal (cell_id, case_id, occurred_at);
        create index if not exists access_journal_by_user on audit.access_journal (cell_id, user_id, occurred_at);

        -- Refuses every change, except the purge of entries past retention done by the function below.
        create or replace function audit.reject_access_journal_change() returns trigger
        language plpgsql as $$
        begin
            if tg_op = 'DELETE' and current_setting('pare.journal_purge', true) = 'on'
               and old.occurred_at < now() - interval '30 days' then
                return old;
            end if;
            raise exception 'audit.access_journal is append-only' using errcode = 'insufficient_privilege';
        end $$;

        -- The only way entries leave: older than the retention (never less than 30 days). SECURITY
        -- DEFINER: the application's role may call it without holding DELETE on the journal.
        create or replace function audit.purge_access_journal(retention interval) returns bigint
        language plpgsql security definer set search_path = audit, pg_temp as $$
        declare purged bigint;
        begin
            perform set_config('pare.journal_purge', 'on', true);
            delete from audit.access_journal where occurred_at < now() - greatest(retention, interval '30 days');
            get diagnostics purged = row_count;
            perform set_config('pare.journal_purge', 'off', true);
            return purged;
        end $$;

        drop trigger if exists access_journal_is_append_only on audit.access_journal;
        create trigger access_journal_is_append_only
            before update or delete on audit.access_journal
            for each row execute function audit.reject_access_journal_change();
        drop trigger if exists access_journal_is_never_truncated on audit.access_journal;
        create trigger access_journal_is_never_truncated
            before truncate on audit.access_journal
            for each statement execute function audit.reject_access_journal_change();
        """;

    /// <summary>
    /// Grants for the role the API connects as in production (run by whoever owns the schema): it
    /// may write and read the journal and call the purge, never update or delete entries itself.
    /// </summary>
    public static string ApplicationRoleGrants(string role) => $"""
        grant usage on schema audit to "{role}";
        grant select, insert on audit.access_journal to "{role}";
        revoke update, delete, truncate on audit.access_journal from "{role}";
        grant usage, select on all sequences in schema audit to "{role}";
        grant execute on function audit.purge_access_journal(interval) to "{role}";
        """;

    /// <summary>Deletes entries past the retention (12 months by default): a housekeeping job calls it.</summary>
    public async Task<long> PurgeAsync(int retentionMonths, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("select audit.purge_access_journal(make_interval(months => $1))");
        command.Parameters.Add(new() { Value = retentionMonths });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public Task RecordAsync(CurrentUser reader, Guid caseId, string action, CancellationToken cancellationToken) =>
        RecordAsync(reader, [caseId], action, cancellationToken);

    /// <summary>One row per case read, in one round trip.</summary>
    public async Task RecordAsync(CurrentUser reader, IReadOnlyCollection<Guid> caseIds, string action, CancellationToken cancellationToken)
    {
        if (caseIds.Count == 0) return;
        await using var command = dataSource.CreateCommand("""
            insert into audit.access_journal (cell_id, user_id, case_id, action, occurred_at)
            select $1, $2, unnest($3::uuid[]), $4, $5
            """);
        command.Parameters.Add(new() { Value = reader.CellId });
        command.Parameters.Add(new() { Value = reader.UserId });
        command.Parameters.Add(new() { Value = caseIds.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        command.Parameters.Add(new() { Value = action });
        command.Parameters.Add(new() { Value = clock.GetUtcNow() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>
/// A read of one case's snapshot and its journal entry in a single statement (one round trip, one
/// commit): the entry is written if and only if the case exists in the reader's cell.
/// </summary>
public sealed class JournaledCaseReads(NpgsqlDataSource dataSource, Marten.IDocumentStore store, TimeProvider clock)
{
    private readonly string _sql = $"""
        with found as (select data from {store.Options.Schema.For<Case>()} where tenant_id = $1 and id = $2),
             journaled as (insert into audit.access_journal (cell_id, user_id, case_id, action, occurred_at)
                           select $1, $3, $2, $4, $5 from found)
        select data from found
        """;

    public async Task<Case?> ReadAsync(CurrentUser reader, Guid caseId, string action, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(_sql);
        command.Parameters.Add(new() { Value = reader.CellId });
        command.Parameters.Add(new() { Value = caseId });
        command.Parameters.Add(new() { Value = reader.UserId });
        command.Parameters.Add(new() { Value = action });
        command.Parameters.Add(new() { Value = clock.GetUtcNow() });
        await using var rows = await command.ExecuteReaderAsync(cancellationToken);
        if (!await rows.ReadAsync(cancellationToken)) return null;
        await using var json = await rows.GetStreamAsync(0, cancellationToken);
        return store.Options.Serializer().FromJson<Case>(json);
    }
}

/// <summary>The actions the journal records; stable strings, queried by heads and auditors.</summary>
public static class JournalActions
{
    public const string ReadCase = "case.read";
    public const string ListCases = "case.list";
    public const string ReadProfile = "profile.read";
    public const string ListEpisodes = "episode.list";
    public const string ReadEpisode = "episode.read";
    public const string ReadTimeline = "timeline.read";
    public const string ReadReturnInterview = "interview.read";
    public const string ReadRiskAssessments = "assessment.read";
    public const string ReadReminders = "reminders.read";
    public const string ReminderInbox = "reminders.inbox";
    public const string ReadReferral = "referral.read";
    public const string ListReferrals = "referral.list";
    public const string ListAlerts = "alert.list";
    public const string ListOpenEpisodes = "episode.open.list";
    public const string ExportEpisodes = "figures.episodes.export";
    public const string PartnerReadReferral = "partner.referral.read";
    public const string PartnerListReferrals = "partner.referral.list";
}
