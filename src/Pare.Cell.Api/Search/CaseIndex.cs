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
        """;

    /// <summary>Removes a case's terms (retention: its personal data leave the active base).</summary>
    public static void Forget(IDocumentOperations ops, Guid caseId) =>
        ops.QueueSqlCommand("delete from pare.case_index where cell_id = ? and case_id = ?", ops.TenantId, caseId);

    /// <summary>Recomputes the case's links (none yet: see <c>Links</c>).</summary>
    public static void Relink(IDocumentOperations ops, Guid caseId) { }
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
