using Pare.Cell.Api.Infrastructure.OpenApi;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Database;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Common;

namespace Pare.Cell.Api.Links;

/// <summary>Another minor of the cell linked to this one, and what they share.</summary>
public sealed record LinkedCase(Guid CaseId, string Reference, string FirstName, string LastName, IReadOnlyList<SharedTerm> Shared);

/// <param name="Kind">phone, handle, associate or place.</param>
/// <param name="Value">As this case records it.</param>
/// <param name="OtherValue">As the linked case records it (an associate's name may be spelt otherwise).</param>
public sealed record SharedTerm(string Kind, string Value, string OtherValue);

/// <summary>Minors tied together, directly or through one another; what ties them, most shared first.</summary>
public sealed record LinkCluster(int Size, string Summary, IReadOnlyList<ClusterMember> Cases, IReadOnlyList<ClusterTie> Ties);

public sealed record ClusterMember(Guid CaseId, string Reference, string FirstName, string LastName);

public sealed record ClusterTie(string Kind, string Value, int Cases);

/// <summary>
/// Reads <c>pare.case_links</c>, kept inline from the events by <see cref="Search.CaseIndexProjection"/>
/// (a profile or an episode changing recomputes its case's ties). Every case shown is journaled
/// (<c>links.read</c>): its names and what it shares are case data.
/// </summary>
public sealed class CaseLinks(NpgsqlDataSource dataSource, AccessJournal journal, CurrentUser user)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public async Task<IReadOnlyList<LinkedCase>> OfAsync(Guid caseId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            select l.other_case_id, c.data->>'reference', (c.data->'minor')::text,
                   jsonb_agg(jsonb_build_object('kind', l.kind, 'value', l.value, 'otherValue', l.other_value) order by l.kind, l.value)::text
            from pare.case_links l join pare.mt_doc_case c on c.tenant_id = l.cell_id and c.id = l.other_case_id
            where l.cell_id = $1 and l.case_id = $2
            group by l.other_case_id, c.data->>'reference', c.data->'minor' order by count(*) desc, 2
            """);
        command.Parameters.Add(new() { Value = user.CellId });
        command.Parameters.Add(new() { Value = caseId });
        var linked = new List<LinkedCase>();
        await using (var rows = await command.ExecuteReaderAsync(cancellationToken))
            while (await rows.ReadAsync(cancellationToken))
            {
                var minor = JsonSerializer.Deserialize<MinorIdentity>(rows.GetString(2), Web)!;
                linked.Add(new LinkedCase(rows.GetGuid(0), rows.GetString(1), minor.FirstName, minor.LastName,
                    JsonSerializer.Deserialize<List<SharedTerm>>(rows.GetString(3), Web)!));
            }
        await journal.RecordAsync(user, [.. linked.Select(l => l.CaseId)], JournalActions.ReadLinks, cancellationToken);
        return linked;
    }

    /// <summary>The cell's clusters of linked cases, largest first (at most <paramref name="limit"/>).</summary>
    public async Task<IReadOnlyList<LinkCluster>> ClustersAsync(int limit, CancellationToken cancellationToken)
    {
        var edges = new List<(Guid A, Guid B, string Kind, string Value)>();
        var members = new Dictionary<Guid, ClusterMember>();
        await using (var command = dataSource.CreateCommand("""
            select l.case_id, l.other_case_id, l.kind, l.value, c.data->>'reference', (c.data->'minor')::text
            from pare.case_links l join pare.mt_doc_case c on c.tenant_id = l.cell_id and c.id = l.case_id
            where l.cell_id = $1
            """))
        {
            command.Parameters.Add(new() { Value = user.CellId });
            await using var rows = await command.ExecuteReaderAsync(cancellationToken);
            while (await rows.ReadAsync(cancellationToken))
            {
                var a = rows.GetGuid(0);
                edges.Add((a, rows.GetGuid(1), rows.GetString(2), rows.GetString(3)));
                if (!members.ContainsKey(a))
                {
                    var minor = JsonSerializer.Deserialize<MinorIdentity>(rows.GetString(5), Web)!;
                    members[a] = new ClusterMember(a, rows.GetString(4), minor.FirstName, minor.LastName);
                }
            }
        }

        var parent = members.Keys.ToDictionary(k => k, k => k);
        Guid Root(Guid x) { while (parent[x] != x) x = parent[x] = parent[parent[x]]; return x; }
        foreach (var (a, b, _, _) in edges) if (parent.ContainsKey(b)) parent[Root(a)] = Root(b);

        var clusters = members.Keys.GroupBy(Root).Where(g => g.Count() > 1).Select(g =>
        {
            var ids = g.ToHashSet();
            var ties = edges.Where(e => ids.Contains(e.A))
                .GroupBy(e => (e.Kind, Key: Domain.Cases.Duplicates.Normalize(e.Kind == "phone" ? e.Value.Replace(" ", "", StringComparison.Ordinal) : e.Value)))
                .Select(t => new ClusterTie(t.Key.Kind, t.First().Value, t.Select(e => e.A).Distinct().Count()))
                .OrderByDescending(t => t.Cases).ThenBy(t => t.Kind, StringComparer.Ordinal).ToList();
            return new LinkCluster(ids.Count, Summary(ids.Count, ties), [.. g.Select(id => members[id]).OrderBy(m => m.Reference, StringComparer.Ordinal)], ties);
        }).OrderByDescending(c => c.Size).ThenByDescending(c => c.Ties.Count).Take(limit).ToList();

        await journal.RecordAsync(user, [.. clusters.SelectMany(c => c.Cases.Select(m => m.CaseId))], JournalActions.ReadLinks, cancellationToken);
        return clusters;
    }

    /// <summary>"4 minors: associate 'Kévin' (4), phone 07 12 34 56 78 (2)".</summary>
    private static string Summary(int size, IReadOnlyList<ClusterTie> ties)
    {
        static Bilingual Kind(string kind) => kind switch
        {
            "phone" => new("phone", "téléphone"),
            "handle" => new("handle", "pseudo"),
            "associate" => new("associate", "fréquentation"),
            _ => new("place", "lieu"),
        };
        var parts = string.Join(", ", ties.Take(4).Select(t => $"{Kind(t.Kind)} « {t.Value} » ({t.Cases})"));
        return new Bilingual($"{size} minors: {parts}", $"{size} mineur·es : {parts}").ToString();
    }
}

public static class LinksApi
{
    public static IEndpointRouteBuilder MapLinksApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/links", async Task<Results<Ok<IReadOnlyList<LinkCluster>>, ValidationProblem>> (CaseLinks links, CancellationToken ct, [System.ComponentModel.DataAnnotations.Range(1, 500)] int? limit = null) =>
            {
                if (limit is < 1 or > 500)
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = [new Bilingual("From 1 to 500.", "De 1 à 500.").ToString()] });
                return TypedResults.Ok(await links.ClustersAsync(limit ?? 50, ct));
            })
            .RequireAuthorization(AccessPolicies.HeadOnly).WithTag("Links", "Minors linked by a shared phone, handle, associate or place: per case, and as the head's clusters (journaled).")
            .WithName("ListLinkClusters").WithSummary("Clusters of linked minors, largest first, with what ties them (head only; journaled)")
            .WithDescription("Cases are linked when they share a phone number (the minor's or an associate's), a handle, an associate of a similar name, "
                + $"or a place frequented or last seen at. A term shared by {Search.CaseIndex.TooCommon} cases or more ties nobody.");
        app.MapGet("/api/v1/cases/{caseId:guid}/links", async Task<Results<Ok<IReadOnlyList<LinkedCase>>, NotFound>> (Guid caseId, CaseLinks links,
                JournaledCaseReads reads, CurrentUser user, CancellationToken ct) =>
                await reads.ReadAsync(user, caseId, JournalActions.ReadLinks, ct) is null ? TypedResults.NotFound() : TypedResults.Ok(await links.OfAsync(caseId, ct)))
            .RequireAuthorization(AccessPolicies.CaseWork).WithTags("Links")
            .WithName("GetCaseLinks").WithSummary("The minors linked to this one and what they share (journaled)");
        return app;
    }
}
