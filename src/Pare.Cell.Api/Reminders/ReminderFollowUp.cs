using Marten;
using Npgsql;
using NpgsqlTypes;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Infrastructure.Jobs;
using Pare.Cell.Api.Policies;
using Pare.Cell.Api.Referrals;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Referrals;
using Pare.Cell.Domain.Reminders;

namespace Pare.Cell.Api.Reminders;

/// <summary>
/// A recurring job (each minute): records on each case the reminders whose time has passed
/// (<see cref="ReminderOverdue"/>) and flags to the head those still overdue past the grace period
/// (<see cref="ReminderEscalated"/>), so overdue state exists on time whether or not anyone reads.
/// Time comes from <see cref="TimeProvider"/>; recording twice is impossible (the decider checks).
/// <para>
/// It reads only the open cases it has to: for each case it keeps, in
/// <c>pare.reminder_follow_up</c>, the moment its next record falls due
/// (<see cref="ReminderDecider.NextFollowUpAt"/>) with the snapshot version and the cell policy
/// version that moment was computed from. A case is read again when that moment has come, when
/// the case changed since (any event, the job's own included), when the cell's settings did, or when
/// one of its referrals did (<see cref="ReferralChanged"/>, in the referral's transaction).
/// </para>
/// </summary>
public sealed class ReminderFollowUp(NpgsqlDataSource dataSource, IDocumentStore store, CaseWriter cases, TimeProvider clock, ILogger<ReminderFollowUp> logger)
{
    public const string JobId = "reminder-follow-up";

    /// <summary>
    /// Bumped whenever <see cref="ReminderRules"/> change what they derive: the moments stored under an
    /// earlier version are then computed again (version 1: the contact reminder counts only contacts
    /// that maintain the link; an escalated undelivered alert owes the head a call at once; version 2:
    /// unanswered referrals owe a follow-up; version 3: a deactivated worker's case owes the head a reassignment).
    /// </summary>
    public const int RulesVersion = 3;

    /// <summary>Ids and times only: what the follow-up last computed for each case.</summary>
    public const string Schema = """
        create schema if not exists pare;
        create table if not exists pare.reminder_follow_up (
            tenant_id       varchar     not null,
            case_id         uuid        not null,
            case_version    text        not null,
            policy_version  bigint      not null,
            next_at         timestamptz,
            primary key (tenant_id, case_id)
        );
        alter table pare.reminder_follow_up add column if not exists rules_version int not null default 0;
        alter table pare.reminder_follow_up add column if not exists referrals_stamp bigint not null default 0;
        """;

    /// <summary>
    /// Queued in the transaction of any change to a referral: the case's stored moment no longer holds
    /// (its referrals' follow-ups are reminders too). The stamp moves, so a run that read the referrals
    /// before this commit cannot store its moment over it: the case is read again on the next run.
    /// </summary>
    public static void ReferralChanged(IDocumentSession session, Guid caseId) =>
        session.QueueSqlCommand(
            """
            insert into pare.reminder_follow_up (tenant_id, case_id, case_version, policy_version, next_at, rules_version, referrals_stamp)
            values (?, ?, '', -1, null, 0, 1)
            on conflict (tenant_id, case_id) do update set case_version = '', referrals_stamp = reminder_follow_up.referrals_stamp + 1
            """,
            session.TenantId, caseId);

    public async Task<FollowUpRun> RunAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var open = new List<OpenCase>();
        await using (var query = dataSource.CreateCommand($"""
            select c.tenant_id, c.id, c.mt_version::text, f.policy_version,
                   (f.case_id is null or f.case_version <> c.mt_version::text or f.next_at <= $1 or f.rules_version <> $2) is true,
                   coalesce(f.referrals_stamp, 0)
            from {store.Options.Schema.For<Case>()} c
            left join pare.reminder_follow_up f on f.tenant_id = c.tenant_id and f.case_id = c.id
            where c.status <> 'Closed'
            """))
        {
            query.Parameters.Add(new() { Value = now });
            query.Parameters.Add(new() { Value = RulesVersion });
            await using var reader = await query.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                open.Add(new(reader.GetString(0), reader.GetGuid(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetInt64(3), reader.GetBoolean(4), reader.GetInt64(5)));
        }

        var read = 0;
        var written = 0;
        var each = new CaseByCase(logger, JobId);
        foreach (var cell in open.GroupBy(o => o.CellId))
        {
            await using var session = store.LightweightSession(cell.Key);
            var policy = await CellPolicies.LoadAsync(session, cancellationToken);
            var settings = policy.EffectiveReminders;
            var toRead = cell.Where(c => c.Due || c.PolicyVersion != policy.Version).ToDictionary(c => c.CaseId);
            if (toRead.Count == 0) continue;
            var states = await session.LoadManyAsync<Case>(cancellationToken, toRead.Keys);
            var referrals = await ReferralsAwaitingAnswer.ForCasesAsync(session, toRead.Keys, cancellationToken);
            read += states.Count;
            // Decided first on the snapshot just read, purely: only a case whose moment has come
            // has something to record, and only it is written (read again, decided again,
            // appended with its version).
            var moments = states.Select(s => (Case: s, Referrals: (IReadOnlyCollection<Referral>)[.. referrals[s.Id]])).ToList();
            var nextAt = moments.ToDictionary(m => m.Case.Id, m => ReminderDecider.NextFollowUpAt(m.Case, settings, m.Referrals));
            foreach (var (state, ofCase) in moments.Where(m => nextAt[m.Case.Id] <= now))
                await each.RunAsync(state.Id, async () =>
                {
                    var events = await cases.DecideAsSystemAsync(cell.Key, state.Id, (by, t) => new FollowUpReminders(settings, ofCase, by, t), cancellationToken) ?? [];
                    if (events.Count > 0) written++;
                    if (events.OfType<ReminderEscalated>().Any())
                        logger.LogInformation("Overdue reminders of case {CaseId} escalated to the head", state.Id);
                }, cancellationToken);
            // Stored with the version the query saw, never a later one: a case written since (by
            // this job too) no longer matches it and is read again next time.
            await RememberAsync(cell.Key, policy.Version, moments.Select(m => (m.Case.Id, toRead[m.Case.Id].Version, nextAt[m.Case.Id], toRead[m.Case.Id].ReferralsStamp)), cancellationToken);
        }
        each.ThrowIfAnyFailed();
        return new FollowUpRun(open.Count, read, written);
    }

    /// <summary>Stored only where the referrals' stamp is still the one read: else the case is read again next time.</summary>
    private async Task RememberAsync(string cellId, long policyVersion, IEnumerable<(Guid CaseId, string Version, DateTimeOffset? NextAt, long ReferralsStamp)> cases, CancellationToken cancellationToken)
    {
        var rows = cases.ToList();
        await using var upsert = dataSource.CreateCommand("""
            insert into pare.reminder_follow_up (tenant_id, case_id, case_version, policy_version, next_at, rules_version, referrals_stamp)
            select $1, u.case_id, u.case_version, $2, u.next_at, $6, u.stamp
            from unnest($3::uuid[], $4::text[], $5::timestamptz[], $7::bigint[]) as u(case_id, case_version, next_at, stamp)
            on conflict (tenant_id, case_id) do update
            set case_version = excluded.case_version, policy_version = excluded.policy_version, next_at = excluded.next_at, rules_version = excluded.rules_version
            where reminder_follow_up.referrals_stamp = excluded.referrals_stamp
            """);
        upsert.Parameters.Add(new() { Value = cellId });
        upsert.Parameters.Add(new() { Value = policyVersion });
        upsert.Parameters.Add(new() { Value = rows.Select(r => r.CaseId).ToArray() });
        upsert.Parameters.Add(new() { Value = rows.Select(r => r.Version).ToArray() });
        upsert.Parameters.Add(new() { Value = rows.Select(r => r.NextAt?.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        upsert.Parameters.Add(new() { Value = RulesVersion });
        upsert.Parameters.Add(new() { Value = rows.Select(r => r.ReferralsStamp).ToArray() });
        await upsert.ExecuteNonQueryAsync(cancellationToken);
    }

    private sealed record OpenCase(string CellId, Guid CaseId, string Version, long? PolicyVersion, bool Due, long ReferralsStamp);
}

/// <summary>What one follow-up run did: open cases, of which read, of which written.</summary>
public sealed record FollowUpRun(int OpenCases, int CasesRead, int CasesWritten);
