using System.Text.Json;
using Npgsql;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Database;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Common;

namespace Pare.Cell.Api.Cases.Opening;

/// <summary>A case shown to a worker opening a case: probably the same minor.</summary>
/// <param name="Likeness">How alike the names are, 0 to 1 (the dates of birth are close in every candidate).</param>
public sealed record DuplicateCandidate(Guid CaseId, string Reference, string FirstName, string LastName, IReadOnlyList<string> Aliases,
    DateOnly DateOfBirth, string AssignedWorkerId, CaseStatus Status, double Likeness);

/// <summary>409 <c>probable-duplicate</c>, carrying the candidates the worker must look at.</summary>
public sealed class ProbableDuplicateException(Refusal refusal, IReadOnlyList<DuplicateCandidate> candidates) : Exception(refusal.Code)
{
    public Refusal Refusal { get; } = refusal;
    public IReadOnlyList<DuplicateCandidate> Candidates { get; } = candidates;
}

/// <summary>
/// The cell's cases that are probably the minor about to get a case: the index (<c>pare.case_index</c>)
/// yields the cases whose name or alias is even loosely alike (trigram similarity ≥ 0.3, at most 100),
/// then <see cref="Duplicates.ProbablySame"/> keeps those with alike names AND a close date of birth.
/// </summary>
public sealed class DuplicateCandidates(NpgsqlDataSource dataSource, CurrentUser user, AccessJournal journal)
{
    private const string Sql = """
        with loose as (
            select i.case_id, max(public.similarity(i.normalized, pare.normalized($2))) as alike
            from pare.case_index i
            where i.cell_id = $1 and i.kind in ('Name', 'Alias') and i.normalized operator(public.%) pare.normalized($2)
            group by i.case_id order by 2 desc limit 100
        )
        select c.id, c.data->>'reference', (c.data->'minor')::text, coalesce(c.data->'profile'->'aliases', '[]')::text, c.assigned_worker_id, c.status
        from loose join pare.mt_doc_case c on c.tenant_id = $1 and c.id = loose.case_id
        """;

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public async Task<IReadOnlyList<DuplicateCandidate>> FindAsync(MinorIdentity minor, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Sql);
        command.Parameters.Add(new() { Value = user.CellId });
        command.Parameters.Add(new() { Value = $"{minor.FirstName} {minor.LastName}" });
        var found = new List<DuplicateCandidate>();
        await using var rows = await command.ExecuteReaderAsync(cancellationToken);
        while (await rows.ReadAsync(cancellationToken))
        {
            var identity = JsonSerializer.Deserialize<MinorIdentity>(rows.GetString(2), Web)!;
            var aliases = JsonSerializer.Deserialize<List<string>>(rows.GetString(3), Web)!;
            var known = new KnownMinor(rows.GetGuid(0), identity, aliases);
            if (!Duplicates.ProbablySame(minor, known)) continue;
            found.Add(new DuplicateCandidate(known.CaseId, rows.GetString(1), identity.FirstName, identity.LastName, aliases, identity.DateOfBirth,
                rows.GetString(4), Enum.Parse<CaseStatus>(rows.GetString(5)), Math.Round(Duplicates.NameLikeness(minor, known), 2)));
        }
        return [.. found.OrderByDescending(c => c.Likeness)];
    }

    /// <summary>The candidates a 409 shows are case data read: journaled like any read.</summary>
    public Task JournalShownAsync(IReadOnlyList<DuplicateCandidate> candidates, CancellationToken cancellationToken) =>
        journal.RecordAsync(user, [.. candidates.Select(c => c.CaseId)], JournalActions.DuplicateCandidates, cancellationToken);
}
