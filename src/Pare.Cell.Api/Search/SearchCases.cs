using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FluentValidation;
using Mediator;
using Npgsql;
using NpgsqlTypes;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Domain.Cases;

namespace Pare.Cell.Api.Search;

/// <summary>
/// The search box: a family or first name, an alias, a phone number in any format, a handle or a
/// case reference; tolerant of accents, case and typos (trigram similarity). Sent in a POST body,
/// never in a URL, so the name searched for stays out of proxies' and servers' access logs.
/// </summary>
public sealed record SearchCasesRequest(string? Query, int? Limit) : IQuery<SearchResults>;

/// <summary>Best first; <see cref="SearchHit.Matched"/> says which terms matched and how closely.</summary>
public sealed record SearchResults(string QueryKind, IReadOnlyList<SearchHit> Results);

/// <summary>Only what a worker needs to pick the right minor; the case itself is one click (and one journal entry) away.</summary>
public sealed record SearchHit(Guid CaseId, string Reference, string FirstName, string LastName, DateOnly DateOfBirth, int Age,
    CaseStatus Status, string AssignedWorkerId, double Score, IReadOnlyList<MatchedTerm> Matched);

/// <param name="Field">name, alias, reference, phone or handle.</param>
/// <param name="Detail">The platform of a handle.</param>
public sealed record MatchedTerm(string Field, string Value, string? Detail, double Score);

public sealed class SearchCasesValidator : AbstractValidator<SearchCasesRequest>
{
    public SearchCasesValidator()
    {
        RuleFor(r => r.Query).NotEmpty().MaximumLength(100).Must(q => q is null || q.Count(char.IsLetterOrDigit) >= 2)
            .WithMessage(_ => new Domain.Common.Bilingual("Type at least two letters or digits.", "Saisissez au moins deux lettres ou chiffres.").ToString());
        RuleFor(r => r.Limit).InclusiveBetween(1, 50);
    }
}

/// <summary>
/// One statement: the matching terms of the caller's cell (<c>pare.case_index</c>, trigram GIN
/// index), the best cases, their few display fields, one access-journal row per case shown and one
/// search-journal row (who, when, what kind of query, how many results, and a keyed digest of the
/// query instead of its text: a head can check whether a given name was searched, nobody can read
/// what was).
/// </summary>
public sealed class SearchCasesHandler(NpgsqlDataSource dataSource, CurrentUser user, TimeProvider clock, SearchDigests digests)
    : IQueryHandler<SearchCasesRequest, SearchResults>
{
    private const string Sql = """
        with q as (select pare.normalized($2) as n),
        hits as (
            select i.case_id, i.kind, i.value, i.detail,
                   greatest(public.similarity(i.normalized, q.n), public.word_similarity(q.n, i.normalized)) as score
            from pare.case_index i cross join q
            where $4::text is null and i.cell_id = $1 and i.kind = any($3)
              and (i.normalized operator(public.%) q.n or i.normalized operator(public.%>) q.n)
            union all
            select i.case_id, i.kind, i.value, i.detail, case when i.normalized = $4 then 1.0 else 0.8 end
            from pare.case_index i
            where $4::text is not null and i.cell_id = $1 and i.kind = 'Phone' and i.normalized like '%' || $5 || '%'
        ),
        ranked as (
            select case_id, max(score) as score, count(*) as terms,
                   jsonb_agg(jsonb_build_object('field', kind, 'value', value, 'detail', detail, 'score', round(score::numeric, 2)) order by score desc) as matched
            from hits group by case_id
            order by max(score) desc, count(*) desc, case_id limit $6
        ),
        found as (
            select r.case_id, r.score, r.terms, r.matched, c.data->'minor' as minor, c.data->>'reference' as reference, c.status, c.assigned_worker_id
            from ranked r join pare.mt_doc_case c on c.tenant_id = $1 and c.id = r.case_id
        ),
        journaled as (
            insert into audit.access_journal (cell_id, user_id, case_id, action, occurred_at)
            select $1, $7, case_id, 'search.result', $8 from found
        ),
        searched as (
            insert into audit.search_journal (cell_id, user_id, occurred_at, query_kind, query_digest, result_count)
            select $1, $7, $8, $9, $10, count(*) from found
        )
        select case_id, score, matched::text, minor::text, reference, status, assigned_worker_id from found order by score desc, terms desc, case_id
        """;

    public async ValueTask<SearchResults> Handle(SearchCasesRequest request, CancellationToken cancellationToken)
    {
        var query = request.Query!.Trim();
        var phone = Phones.Partial(query);
        var kind = phone is not null ? "phone" : CaseReferences.Looks(query) ? "reference" : "words";
        var now = clock.GetUtcNow();

        await using var command = dataSource.CreateCommand(Sql);
        command.Parameters.Add(new() { Value = user.CellId });
        command.Parameters.Add(new() { Value = query });
        command.Parameters.Add(new() { Value = TermKinds.Words, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)(phone is null ? null : Phones.Canonical(query) ?? phone) ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)phone ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = request.Limit ?? 20 });
        command.Parameters.Add(new() { Value = user.UserId });
        command.Parameters.Add(new() { Value = now });
        command.Parameters.Add(new() { Value = kind });
        command.Parameters.Add(new() { Value = digests.Of(user.CellId, query) });

        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var hits = new List<SearchHit>();
        await using var rows = await command.ExecuteReaderAsync(cancellationToken);
        while (await rows.ReadAsync(cancellationToken))
        {
            var minor = JsonSerializer.Deserialize<MinorIdentity>(rows.GetString(3), MinorJson)!;
            var matched = JsonSerializer.Deserialize<List<MatchedTerm>>(rows.GetString(2), MinorJson)!
                .Select(m => m with { Field = JsonNamingPolicy.CamelCase.ConvertName(m.Field) }).ToList();
            hits.Add(new SearchHit(rows.GetGuid(0), rows.GetString(4), minor.FirstName, minor.LastName, minor.DateOfBirth, minor.AgeOn(today),
                Enum.Parse<CaseStatus>(rows.GetString(5)), rows.GetString(6), Math.Round(Convert.ToDouble(rows.GetValue(1), System.Globalization.CultureInfo.InvariantCulture), 2), matched));
        }
        return new SearchResults(kind, hits);
    }

    private static readonly JsonSerializerOptions MinorJson = new(JsonSerializerDefaults.Web);
}

/// <summary>A keyed digest of a search, for the search journal: never the text of a name, a phone or a handle.</summary>
public sealed class SearchDigests(IConfiguration configuration, AuthSettings auth)
{
    private readonly byte[] _key = configuration["Search:JournalKey"] is { Length: > 0 } key
        ? Encoding.UTF8.GetBytes(key)
        : HMACSHA256.HashData(auth.SigningKey?.Key ?? throw new InvalidOperationException("Set Search:JournalKey."), "pare-cell search journal"u8);

    /// <summary>Of the query as the index compares it (case, accents and spacing ignored), in its cell.</summary>
    public string Of(string cellId, string query)
    {
        var normalized = string.Join(' ', new string(query.Normalize(NormalizationForm.FormD)
            .Where(c => System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark)
            .Select(c => char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : ' ').ToArray())
            .Split(' ', StringSplitOptions.RemoveEmptyEntries));
        return Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes($"{cellId}\n{normalized}")))[..32];
    }
}

public static class CaseReferences
{
    /// <summary>"PC-7K3M-Q9XD", with or without the prefix and dashes.</summary>
    public static bool Looks(string text) =>
        System.Text.RegularExpressions.Regex.IsMatch(text.Trim(), "^(PC[- ]?)?[0-9A-Z]{4}[- ]?[0-9A-Z]{4}$", System.Text.RegularExpressions.RegexOptions.IgnoreCase)
        && text.Any(char.IsAsciiDigit) && text.Any(char.IsLetter);
}

/// <summary>The search journal: one append-only row per search, beside the access journal, purged with it (<c>audit.purge_access_journal</c>).</summary>
public static class SearchJournal
{
    public const string Schema = """
        create schema if not exists audit;
        create table if not exists audit.search_journal (
            id            bigint generated always as identity primary key,
            cell_id       text        not null,
            user_id       text        not null,
            occurred_at   timestamptz not null,
            query_kind    text        not null,
            query_digest  text        not null,
            result_count  int         not null
        );
        create index if not exists search_journal_by_user on audit.search_journal (cell_id, user_id, occurred_at);
        drop trigger if exists search_journal_is_append_only on audit.search_journal;
        create trigger search_journal_is_append_only before update or delete on audit.search_journal
            for each row execute function audit.reject_access_journal_change();
        drop trigger if exists search_journal_is_never_truncated on audit.search_journal;
        create trigger search_journal_is_never_truncated before truncate on audit.search_journal
            for each statement execute function audit.reject_access_journal_change();
        """;
}
