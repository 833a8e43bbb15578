using Pare.Cell.Api.Infrastructure.Messaging;
using FluentValidation;
using Mediator;
using Npgsql;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Domain.Common;

namespace Pare.Cell.Api.Caseload;

/// <summary>
/// The head's caseload: per worker, open cases, open episodes (minor missing), overdue reminders,
/// cases at risk or in situation, last activity; and the cell's totals. One aggregate over the
/// case table's duplicated columns (indexed by cell), never over the JSON documents.
/// </summary>
/// <param name="Sort">The column to sort the workers by (worker id when absent).</param>
/// <param name="Descending">Largest first.</param>
/// <param name="Worker">Only this worker's row.</param>
/// <param name="WithOpenEpisodesOnly">Only the workers with a minor missing now.</param>
public sealed record GetCaseload(string? Sort, bool? Descending, string? Worker, bool? WithOpenEpisodesOnly) : IQuery<CaseloadView>;

public sealed record CaseloadView(IReadOnlyList<WorkerCaseload> Workers, CaseloadTotals Totals, Freshness Freshness);

public sealed record WorkerCaseload(string WorkerId, int OpenCases, int OpenEpisodes, int OverdueReminders, int AtRiskOrInSituation, DateTimeOffset? LastActivityAt);

public sealed record CaseloadTotals(int Workers, int OpenCases, int OpenEpisodes, int OverdueReminders, int AtRiskOrInSituation);

public sealed class GetCaseloadValidator : AbstractValidator<GetCaseload>
{
    public static readonly string[] SortKeys = ["worker", "openCases", "openEpisodes", "overdueReminders", "atRiskOrInSituation", "lastActivity"];

    public GetCaseloadValidator()
    {
        RuleFor(q => q.Sort).In(SortKeys).WithMessage(_ => new Bilingual($"Sort by one of: {string.Join(", ", SortKeys)}.", $"Triez selon l'une de ces clés : {string.Join(", ", SortKeys)}.").ToString());
        RuleFor(q => q.Worker).MaximumLength(100);
    }
}

public sealed class GetCaseloadHandler(CurrentUser user, CaseloadSnapshots snapshots) : IQueryHandler<GetCaseload, CaseloadView>
{
    public async ValueTask<CaseloadView> Handle(GetCaseload query, CancellationToken cancellationToken)
    {
        var (rows, freshness) = await snapshots.GetAsync(user.CellId, cancellationToken);

        IEnumerable<WorkerCaseload> shown = rows.Where(r => r.OpenCases > 0 || r.OpenEpisodes > 0);
        if (query.Worker is not null) shown = shown.Where(r => r.WorkerId == query.Worker);
        if (query.WithOpenEpisodesOnly == true) shown = shown.Where(r => r.OpenEpisodes > 0);
        Func<WorkerCaseload, object?> key = query.Sort switch
        {
            "openCases" => r => r.OpenCases,
            "openEpisodes" => r => r.OpenEpisodes,
            "overdueReminders" => r => r.OverdueReminders,
            "atRiskOrInSituation" => r => r.AtRiskOrInSituation,
            "lastActivity" => r => r.LastActivityAt,
            _ => r => r.WorkerId,
        };
        var list = (query.Descending == true ? shown.OrderByDescending(key) : shown.OrderBy(key)).ToList();
        var totals = new CaseloadTotals(rows.Count, rows.Sum(r => r.OpenCases), rows.Sum(r => r.OpenEpisodes), rows.Sum(r => r.OverdueReminders), rows.Sum(r => r.AtRiskOrInSituation));
        return new CaseloadView(list, totals, freshness);
    }
}

/// <summary>
/// The per-worker aggregate of a cell, computed in one round trip and shared by every head of the
/// cell for at most <c>Caseload:MaxStaleness</c> (2 s by default): under load the database runs the
/// aggregate once per cell per period, whatever the number of readers, and each answer says the
/// event sequence it is exact as of. One computation at a time per cell.
/// </summary>
public sealed class CaseloadSnapshots(NpgsqlDataSource dataSource, TimeProvider clock, IConfiguration configuration)
{
    private const string Sql = """
        select assigned_worker_id,
               count(*) filter (where status = 'Open')                                  as open_cases,
               count(*) filter (where missing_episode_id is not null)                   as open_episodes,
               coalesce(sum(open_overdue_reminders) filter (where status = 'Open'), 0)  as overdue,
               count(*) filter (where status = 'Open' and risk_level in ('AtRisk', 'InSituation')) as at_risk,
               max(last_activity_at)                                                    as last_activity
        from pare.mt_doc_case
        where tenant_id = $1
        group by assigned_worker_id
        """;

    private readonly TimeSpan _maxStaleness = configuration.GetValue("Caseload:MaxStaleness", TimeSpan.FromSeconds(2));
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Entry> _cells = new();

    // One per cell for the life of the process: never disposed on purpose.
#pragma warning disable CA1001
    private sealed class Entry
#pragma warning restore CA1001
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        public (IReadOnlyList<WorkerCaseload> Rows, Freshness Freshness)? Latest;
    }

    public async Task<(IReadOnlyList<WorkerCaseload> Rows, Freshness Freshness)> GetAsync(string cellId, CancellationToken cancellationToken)
    {
        var entry = _cells.GetOrAdd(cellId, _ => new Entry());
        if (IsFresh(entry.Latest)) return entry.Latest!.Value;
        await entry.Gate.WaitAsync(cancellationToken);
        try
        {
            if (IsFresh(entry.Latest)) return entry.Latest!.Value; // computed while we waited
            entry.Latest = await ComputeAsync(cellId, cancellationToken);
            return entry.Latest.Value;
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    private bool IsFresh((IReadOnlyList<WorkerCaseload>, Freshness Freshness)? snapshot) =>
        snapshot is { } s && clock.GetUtcNow() - s.Freshness.AsOf < _maxStaleness;

    private async Task<(IReadOnlyList<WorkerCaseload>, Freshness)> ComputeAsync(string cellId, CancellationToken cancellationToken)
    {
        // One round trip: the sequence first, then the aggregate, so the aggregate is at least as fresh as it says.
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand(Freshness.Sql) { Parameters = { new() { Value = cellId } } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand(Sql) { Parameters = { new() { Value = cellId } } });
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var freshness = new Freshness(reader.GetInt64(0), clock.GetUtcNow());
        await reader.NextResultAsync(cancellationToken);
        var rows = new List<WorkerCaseload>();
        while (await reader.ReadAsync(cancellationToken))
            rows.Add(new WorkerCaseload(reader.GetString(0), (int)reader.GetInt64(1), (int)reader.GetInt64(2), (int)reader.GetInt64(3), (int)reader.GetInt64(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5)));
        return (rows, freshness);
    }
}
