using Marten;

namespace Pare.Cell.Api.Search;

/// <summary>What a term of <c>pare.case_index</c> is. Search reads the first five; links the phones, handles, associates and places.</summary>
public enum TermKind
{
    Name,
    Alias,
    Reference,
    Phone,
    Handle,
    Associate,
    AssociatePhone,
    Place,
    LastSeenPlace,
}

public static class TermKinds
{
    /// <summary>The terms a profile version replaces as a whole.</summary>
    public static readonly string[] FromProfile =
        [nameof(TermKind.Alias), nameof(TermKind.Phone), nameof(TermKind.Handle), nameof(TermKind.Associate), nameof(TermKind.AssociatePhone), nameof(TermKind.Place)];

    /// <summary>What the search box looks in for words (a phone number is looked up among phones alone).</summary>
    public static readonly string[] Words = [nameof(TermKind.Name), nameof(TermKind.Alias), nameof(TermKind.Reference), nameof(TermKind.Handle)];
}

/// <summary>
/// The case index's schema, applied by the schema's owner (<c>migrate</c>): PostgreSQL's own
/// <c>pg_trgm</c> (trigram similarity, typo-tolerant and index-backed) and <c>unaccent</c>, the
/// normalisation both sides of a comparison go through, and the table.
/// </summary>
public static class CaseIndex
{
    public const string Schema = """
        create schema if not exists pare;
        create extension if not exists pg_trgm with schema public;
        create extension if not exists unaccent with schema public;
        -- unaccent() is only STABLE (its dictionary could change); pinned to one dictionary it is
        -- safe to call IMMUTABLE, which an index expression and a generated value need.
        create or replace function pare.normalized(text) returns text
        language sql immutable strict parallel safe as
        $$ select btrim(regexp_replace(lower(public.unaccent('public.unaccent'::regdictionary, $1)), '[^a-z0-9]+', ' ', 'g')) $$;
        create table if not exists pare.case_index (
            cell_id    text not null,
            case_id    uuid not null,
            kind       text not null,
            value      text not null,
            detail     text,
            normalized text not null
        );
        create index if not exists case_index_by_case on pare.case_index (cell_id, case_id);
        create index if not exists case_index_exact on pare.case_index (cell_id, kind, normalized);
        create index if not exists case_index_trigrams on pare.case_index using gin (normalized public.gin_trgm_ops);
        create table if not exists pare.case_links (
            cell_id       text not null,
            case_id       uuid not null,
            other_case_id uuid not null,
            kind          text not null,
            value         text not null,
            other_value   text not null
        );
        create index if not exists case_links_by_case on pare.case_links (cell_id, case_id);
        create index if not exists case_links_by_other on pare.case_links (cell_id, other_case_id);
        """;

    /// <summary>A term carried by more cases than this ties nobody: a main station or a common first name says nothing.</summary>
    public const int TooCommon = 25;

    /// <summary>
    /// The ties of one case to the others of its cell, both ways: the same phone number (the minor's or
    /// an associate's), the same handle, an associate of a similar name (trigram similarity ≥ 0.6), the
    /// same place frequented or last seen at (once normalised). Terms shared by more than
    /// <see cref="TooCommon"/> cases are left out.
    /// </summary>
    private const string RelinkSql = """
        with mine as (select * from pare.case_index where cell_id = ? and case_id = ?
                      and kind in ('Phone', 'AssociatePhone', 'Handle', 'Associate', 'Place', 'LastSeenPlace')),
        -- Before any join, each term is counted among the other cases (up to the limit): a common
        -- one is dropped here, so a station named by a thousand cases costs a bounded index probe.
        rare as (
            select m.* from mine m where m.kind in ('Phone', 'AssociatePhone') and (select count(*) from (select 1 from pare.case_index x
                where x.cell_id = m.cell_id and x.kind in ('Phone', 'AssociatePhone') and x.normalized = m.normalized and x.case_id <> m.case_id limit {0}) q) < {0}
            union all
            select m.* from mine m where m.kind = 'Handle' and (select count(*) from (select 1 from pare.case_index x
                where x.cell_id = m.cell_id and x.kind = 'Handle' and x.normalized = m.normalized and x.case_id <> m.case_id limit {0}) q) < {0}
            union all
            select m.* from mine m where m.kind in ('Place', 'LastSeenPlace') and (select count(*) from (select 1 from pare.case_index x
                where x.cell_id = m.cell_id and x.kind in ('Place', 'LastSeenPlace') and x.normalized = m.normalized and x.case_id <> m.case_id limit {0}) q) < {0}
            union all
            select m.* from mine m where m.kind = 'Associate' and (select count(*) from (select 1 from pare.case_index x
                where x.cell_id = m.cell_id and x.kind = 'Associate' and x.normalized operator(public.%) m.normalized
                  and public.similarity(x.normalized, m.normalized) >= 0.6 and x.case_id <> m.case_id limit {0}) q) < {0}
        ),
        ties as (
            select m.case_id, o.case_id as other_case_id,
                   case when m.kind in ('Phone', 'AssociatePhone') then 'phone' when m.kind = 'Handle' then 'handle'
                        when m.kind = 'Associate' then 'associate' else 'place' end as kind,
                   m.value, o.value as other_value
            from rare m join pare.case_index o on o.cell_id = m.cell_id and o.case_id <> m.case_id
            where (m.kind in ('Phone', 'AssociatePhone') and o.kind in ('Phone', 'AssociatePhone') and o.normalized = m.normalized)
               or (m.kind = 'Handle' and o.kind = 'Handle' and o.normalized = m.normalized)
               or (m.kind in ('Place', 'LastSeenPlace') and o.kind in ('Place', 'LastSeenPlace') and o.normalized = m.normalized)
               or (m.kind = 'Associate' and o.kind = 'Associate' and o.normalized operator(public.%) m.normalized
                   and public.similarity(o.normalized, m.normalized) >= 0.6)
        )
        insert into pare.case_links (cell_id, case_id, other_case_id, kind, value, other_value)
        select distinct ?, case_id, other_case_id, kind, value, other_value from ties
        union
        select distinct ?, other_case_id, case_id, kind, other_value, value from ties
        """;

    /// <summary>Removes a case's terms (retention: its personal data leave the active base).</summary>
    public static void Forget(IDocumentOperations ops, Guid caseId)
    {
        ops.QueueSqlCommand("delete from pare.case_index where cell_id = ? and case_id = ?", ops.TenantId, caseId);
        ops.QueueSqlCommand("delete from pare.case_links where cell_id = ? and (case_id = ? or other_case_id = ?)", ops.TenantId, caseId, caseId);
    }

    private static readonly string Relinking = RelinkSql.Replace("{0}", TooCommon.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

    /// <summary>Recomputes the case's links from its terms as they now are, in the same transaction.</summary>
    public static void Relink(IDocumentOperations ops, Guid caseId)
    {
        var cell = ops.TenantId;
        ops.QueueSqlCommand("delete from pare.case_links where cell_id = ? and (case_id = ? or other_case_id = ?)", cell, caseId, caseId);
        ops.QueueSqlCommand(Relinking, cell, caseId, cell, cell);
    }
}

/// <summary>Phone numbers in one canonical form, so "06 12 34 56 78", "+33 6 12 34 56 78" and "0033612345678" are one number.</summary>
public static class Phones
{
    /// <summary>International digits without "+" ("33612345678"); a French national number gets 33. Null when it is not a phone number.</summary>
    public static string? Canonical(string text)
    {
        var trimmed = text.Trim();
        var digits = new string(trimmed.Where(char.IsAsciiDigit).ToArray());
        if (trimmed.Any(char.IsLetter) || digits.Length < 6 || digits.Length > 15) return null;
        if (trimmed.StartsWith('+')) return digits;
        if (digits.StartsWith("00", StringComparison.Ordinal)) return digits[2..];
        if (digits.Length == 10 && digits[0] == '0') return "33" + digits[1..];
        return digits;
    }

    /// <summary>The digits a partial number is searched by: a leading trunk 0 dropped ("06 12 34" → "61234").</summary>
    public static string? Partial(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Any(char.IsLetter)) return null;
        var digits = new string(trimmed.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length < 6) return null;
        if (trimmed.StartsWith('+') || digits.StartsWith("00", StringComparison.Ordinal)) return Canonical(text);
        return digits.TrimStart('0');
    }
}
