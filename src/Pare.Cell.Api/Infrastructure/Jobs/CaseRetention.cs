using Marten;
using Npgsql;
using Pare.Cell.Api.Alerts;
using Pare.Cell.Api.Cases;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Referrals;
using Pare.Cell.Domain.Retention;

namespace Pare.Cell.Api.Infrastructure.Jobs;

/// <summary>
/// A recurring job (daily): a case closed for two years leaves the active base. Its events and
/// its referrals' events are masked in place (Marten's masking rules, <see cref="PersonalData"/>),
/// the snapshots are rebuilt from the masked events, then <see cref="CaseArchived"/> is recorded —
/// last, so a crash midway only means masking again next run. Figures keep counting the case.
/// </summary>
public sealed class CaseRetention(NpgsqlDataSource dataSource, IDocumentStore store, CaseWriter cases, Photos.PhotoStore photos, TimeProvider clock, ILogger<CaseRetention> logger)
{
    public const string JobId = "case-retention";

    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var due = new List<(string CellId, Guid CaseId)>();
        await using (var query = dataSource.CreateCommand($"""
            select tenant_id, id from {store.Options.Schema.For<Case>()}
            where status = 'Closed' and data->>'archivedAt' is null and (data->>'closedAt')::timestamptz <= $1
            """))
        {
            query.Parameters.Add(new() { Value = now - RetentionRules.ActiveAfterClosure });
            await using var reader = await query.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) due.Add((reader.GetString(0), reader.GetGuid(1)));
        }

        var each = new CaseByCase(logger, JobId);
        foreach (var (cellId, caseId) in due)
            await each.RunAsync(caseId, () => RetireAsync(cellId, caseId, now, cancellationToken), cancellationToken);
        each.ThrowIfAnyFailed();
    }

    private async Task RetireAsync(string cellId, Guid caseId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession(cellId);
        // Asked of the case as it is now, not as the list above saw it: one reopened since is not masked.
        if (await session.LoadAsync<Case>(caseId, cancellationToken) is not { } state || !RetentionRules.IsDue(state, now)) return;
        var referralIds = await session.Query<Referral>().Where(r => r.CaseId == caseId).Select(r => r.Id).ToListAsync(cancellationToken);
        await store.Advanced.ApplyEventDataMasking(x =>
        {
            x.ForTenant(cellId);
            x.IncludeStream(caseId);
            foreach (var referralId in referralIds) x.IncludeStream(referralId);
        }, cancellationToken);
        await store.Advanced.RebuildSingleStreamAsync<Case>(caseId, cellId, cancellationToken);
        foreach (var referralId in referralIds) await store.Advanced.RebuildSingleStreamAsync<Referral>(referralId, cellId, cancellationToken);
        await MaskAlertsAsync(cellId, caseId, cancellationToken);
        await photos.ForgetAsync(cellId, caseId, cancellationToken);
        await cases.DecideAsSystemAsync(cellId, caseId, (by, t) => new ArchiveCase(by, t), cancellationToken);
        logger.LogInformation("Case {CaseId} left the active base: personal data masked", caseId);
    }

    /// <summary>The head's alert list copies each alert's matched criteria: masked like the events they came from.</summary>
    private async Task MaskAlertsAsync(string cellId, Guid caseId, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession(cellId);
        var alerts = await session.Query<AlertView>().Where(a => a.CaseId == caseId).ToListAsync(cancellationToken);
        foreach (var alert in alerts) alert.Matched = PersonalData.MaskDetails(alert.Matched);
        session.Store<AlertView>(alerts);
        await session.SaveChangesAsync(cancellationToken);
    }
}
