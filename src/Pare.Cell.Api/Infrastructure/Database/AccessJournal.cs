using Case = Pare.Cell.Domain.Cases.Case;
using Npgsql;
using NpgsqlTypes;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Telemetry;

namespace Pare.Cell.Api.Infrastructure.Database;

/// <summary>
/// Who read which minor's data, and when. Every endpoint that returns case data appends here
/// before answering. The table is append-only: triggers reject UPDATE, DELETE and TRUNCATE for
/// every role, the application's included (see <see cref="Schema"/>).
/// </summary>
public sealed class AccessJournal(NpgsqlDataSource dataSource, TimeProvider clock, IHttpContextAccessor http)
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
        -- A partner client's read names the client (user_id) and who issued its secret.
        alter table audit.access_journal add column if not exists granted_by text;

        -- How long entries are kept: one row, written by migrate (the owner) only. The application
        -- role can neither write nor read it: it cannot shorten the retention.
        create table if not exists audit.journal_retention (
            only_row  boolean  primary key default true check (only_row),
            retention interval not null check (retention >= interval '6 months')
        );

        -- Refuses every change, except the purge of entries past retention done by the function below.
        create or replace function audit.reject_access_journal_change() returns trigger
        language plpgsql set search_path = pg_catalog, pg_temp as $$
        begin
            if tg_op = 'DELETE' and current_setting('pare.journal_purge', true) = 'on'
               and old.occurred_at < now() - interval '6 months' then
                return old;
            end if;
            raise exception 'audit.access_journal is append-only' using errcode = 'insufficient_privilege';
        end $$;

        -- The only way entries leave: older than the retention the owner set (never less than 6
        -- months). No argument: the caller chooses nothing. SECURITY DEFINER: the application's
        -- role may call it without holding DELETE on the journal.
        drop function if exists audit.purge_access_journal(interval);
        create or replace function audit.purge_access_journal() returns bigint
        language plpgsql security definer set search_path = pg_catalog, pg_temp as $$
        declare purged bigint; keep interval;
        begin
            select greatest(retention, interval '6 months') into keep from audit.journal_retention;
            perform set_config('pare.journal_purge', 'on', true);
            delete from audit.access_journal where occurred_at < now() - coalesce(keep, interval '12 months');
            get diagnostics purged = row_count;
            -- The search journal (Search/SearchCases.cs) is kept as long.
            delete from audit.search_journal where occurred_at < now() - coalesce(keep, interval '12 months');
            perform set_config('pare.journal_purge', 'off', true);
            return purged;
        end $$;
        revoke all on function audit.purge_access_journal() from public;

        drop trigger if exists access_journal_is_append_only on audit.access_journal;
        create trigger access_journal_is_append_only
            before update or delete on audit.access_journal
            for each row execute function audit.reject_access_journal_change();
        drop trigger if exists access_journal_is_never_truncated on audit.access_journal;
        create trigger access_journal_is_never_truncated
            before truncate on audit.access_journal
            for each statement execute function audit.reject_access_journal_change();
        """;

    /// <summary>The journal's retention, set by <c>migrate</c> (parameter: months).</summary>
    public const string SetRetention = """
        insert into audit.journal_retention (only_row, retention) values (true, make_interval(months => $1))
        on conflict (only_row) do update set retention = excluded.retention
        """;

    public const int MinimumRetentionMonths = 6;

    /// <summary><c>AccessJournal:RetentionMonths</c> (12): read by <c>migrate</c>, never by the running application.</summary>
    public static int Retention(IConfiguration configuration)
    {
        var months = configuration.GetValue("AccessJournal:RetentionMonths", 12);
        return months >= MinimumRetentionMonths ? months : throw new InvalidOperationException(
            $"AccessJournal:RetentionMonths is {months}: the access journal is kept {MinimumRetentionMonths} months at least.");
    }

    /// <summary>Deletes entries past the retention the owner set: a housekeeping job calls it.</summary>
    public async Task<long> PurgeAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("select audit.purge_access_journal()");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public Task RecordAsync(CurrentUser reader, Guid caseId, string action, CancellationToken cancellationToken) =>
        RecordAsync(reader, [caseId], action, cancellationToken);

    /// <summary>One row per case read, in one round trip.</summary>
    public async Task RecordAsync(CurrentUser reader, IReadOnlyCollection<Guid> caseIds, string action, CancellationToken cancellationToken)
    {
        if (caseIds.Count == 0) return;
        await using var command = dataSource.CreateCommand("""
            insert into audit.access_journal (cell_id, user_id, case_id, action, occurred_at, granted_by)
            select $1, $2, unnest($3::uuid[]), $4, $5, $6
            """);
        command.Parameters.Add(new() { Value = reader.CellId });
        command.Parameters.Add(new() { Value = reader.UserId });
        command.Parameters.Add(new() { Value = caseIds.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
        command.Parameters.Add(new() { Value = action });
        command.Parameters.Add(new() { Value = clock.GetUtcNow() });
        command.Parameters.Add(new() { Value = (object?)reader.GrantedBy ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        PareMetrics.JournalWritten(action, await command.ExecuteNonQueryAsync(cancellationToken));
        JournaledInRequest.Note(http.HttpContext, caseIds);
    }
}

/// <summary>
/// A read of one case's snapshot and its journal entry in a single statement (one round trip, one
/// commit): the entry is written if and only if the case exists in the reader's cell.
/// </summary>
public sealed class JournaledCaseReads(NpgsqlDataSource dataSource, Marten.IDocumentStore store, TimeProvider clock, IHttpContextAccessor http)
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
        JournaledInRequest.Note(http.HttpContext, [caseId]);
        PareMetrics.JournalWritten(action, 1);
        await using var json = await rows.GetStreamAsync(0, cancellationToken);
        return store.Options.Serializer().FromJson<Case>(json);
    }
}

/// <summary>
/// The cases journaled while the current request ran. An idempotent replay of its answer shows
/// the same data again, to the same caller: it journals them again (<see cref="Http.Idempotency"/>).
/// </summary>
public sealed class JournaledInRequest
{
    private readonly List<Guid> _cases = [];

    public IReadOnlyList<Guid> Cases
    {
        get { lock (_cases) return [.. _cases.Distinct()]; }
    }

    public static void Note(HttpContext? context, IEnumerable<Guid> cases)
    {
        if (context is null) return;
        var noted = context.Features.Get<JournaledInRequest>();
        if (noted is null) context.Features.Set(noted = new JournaledInRequest());
        lock (noted._cases) noted._cases.AddRange(cases);
    }
}

/// <summary>
/// An answer to a write that carries a minor's data (the case, its profile, a referral…): whoever
/// receives it is journaled like a reader, whatever the method, even when the write changed
/// nothing (<see cref="Messaging.JournaledAnswersBehavior{TMessage, TResponse}"/>).
/// </summary>
public interface IJournaledAnswer
{
    /// <summary>The case whose data the answer carries.</summary>
    Guid JournaledCaseId { get; }
}

/// <summary>The actions the journal records; stable strings, queried by heads and auditors.</summary>
public static class JournalActions
{
    /// <summary>
    /// The answer to a write, by use case: <c>answer.change-placement</c>, <c>answer.open-case</c>,
    /// <c>answer.answer-referral</c> (a partner's)…
    /// </summary>
    public static string Answer(Type useCase)
    {
        var name = useCase.Name.EndsWith("Request", StringComparison.Ordinal) ? useCase.Name[..^"Request".Length] : useCase.Name;
        return "answer." + string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? $"-{char.ToLowerInvariant(c)}" : $"{char.ToLowerInvariant(c)}"));
    }

    /// <summary>An idempotent retry answered with the stored answer of a write: what that answer showed.</summary>
    public const string Replay = "answer.replay";
    public const string ReadCase = "case.read";
    public const string ListCases = "case.list";
    public const string DuplicateCandidates = "case.duplicate-candidates";
    public const string ReadProfile = "profile.read";
    public const string ReadPhoto = "photo.read";
    public const string ReadLinks = "links.read";
    public const string PartnerReadPhoto = "partner.photo.read";
    public const string AlertPhoto = "photo.alert-attachment";
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
