using FluentValidation;
using Mediator;
using Npgsql;
using Pare.Cell.Api.Infrastructure.Auth;

namespace Pare.Cell.Api.Caseload;

/// <summary>
/// The head's caseload: per worker, open cases, open episodes (minor missing), overdue reminders,
/// cases at risk or in situation, last activity; and the cell's totals. One aggregate over the
/// case table's duplicated columns (indexed by cell), never over the JSON documents.
/// </summary>
public sealed record GetCaseload(string? Sort, bool? Descending, string? Worker, bool? WithOpenEpisodesOnly) : IQuery<CaseloadView>;

public sealed record CaseloadView(IReadOnlyList<WorkerCaseload> Workers, CaseloadTotals Totals, Freshness Freshness);

public sealed record WorkerCaseload(string WorkerId, int OpenCases, int OpenEpisodes, int OverdueReminders, int AtRiskOrInSituation, DateTimeOffset? LastActivityAt);

public sealed record CaseloadTotals(int Workers, int OpenCases, int OpenEpisodes, int OverdueReminders, int AtRiskOrInSituation);

public sealed class GetCaseloadValidator : AbstractValidator<GetCaseload>
{
    public static readonly string[] SortKeys = ["worker", "openCases", "openEpisodes", "overdueReminders", "atRiskOrInSituation", "lastActivity"];

    public GetCaseloadValidator()
    {
        RuleFor(q => q.Sort).Must(s => s is null || SortKeys.Contains(s)).WithMessage($"Sort by one of: {string.Join(", ", SortKeys)}.");
        RuleFor(q => q.Worker).MaximumLength(100);
    }
}

public sealed class GetCaseloadHandler(NpgsqlDataSource dataSource, CurrentUser user, TimeProvider clock) : IQueryHandler<GetCaseload, CaseloadView>
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

    public async ValueTask<CaseloadView> Handle(GetCaseload query, CancellationToken cancellationToken)
    {
        var rows = new List<WorkerCaseload>();
        await using (var command = dataSource.CreateCommand(Sql))
        {
            command.Parameters.Add(new() { Value = user.CellId });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                rows.Add(new WorkerCaseload(reader.GetString(0), (int)reader.GetInt64(1), (int)reader.GetInt64(2), (int)reader.GetInt64(3), (int)reader.GetInt64(4),
                    reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5)));
        }
        var freshness = await Freshness.ReadAsync(dataSource, clock, cancellationToken);

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
