using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Episodes;
using Pare.Cell.Domain.Retention;

namespace Pare.Cell.Api.Search;

/// <summary>
/// Keeps <c>pare.case_index</c> — one row per searchable or linkable term of a case (its name,
/// aliases, reference, phones, handles, associates, places) — from the case's events, inline:
/// in the transaction that appends them, so a case is found the moment it is opened. Terms are
/// normalised by PostgreSQL (<c>pare.normalized</c>: unaccent, lower case, punctuation to spaces)
/// and phones by <see cref="Phones"/>, so search and links compare like with like. Rows carry the
/// cell: a search never sees another cell's terms. Masked events (retention) index nothing, and
/// <see cref="CaseArchived"/> removes what was left.
/// </summary>
public sealed partial class CaseIndexProjection : EventProjection
{
    public CaseIndexProjection()
    {
        IncludeType<CaseOpened>();
        IncludeType<MinorProfileUpdated>();
        IncludeType<RunawayReported>();
        IncludeType<PastEpisodeRecorded>();
        IncludeType<EntryCorrected>();
        IncludeType<CaseArchived>();
    }

    public void Project(CaseOpened e, IDocumentOperations ops)
    {
        var cell = ops.TenantId;
        ops.QueueSqlCommand("delete from pare.case_index where cell_id = ? and case_id = ?", cell, e.CaseId);
        Insert(ops, e.CaseId, TermKind.Reference, e.Reference, null);
        if (e.Minor.FirstName != PersonalData.Removed)
            Insert(ops, e.CaseId, TermKind.Name, $"{e.Minor.FirstName} {e.Minor.LastName}", e.Minor.LastName);
        CaseIndex.Relink(ops, e.CaseId);
    }

    public void Project(MinorProfileUpdated e, IDocumentOperations ops)
    {
        ops.QueueSqlCommand("delete from pare.case_index where cell_id = ? and case_id = ? and kind = any(?)", ops.TenantId, e.CaseId, TermKinds.FromProfile);
        var p = e.Profile;
        foreach (var alias in p.Aliases.Where(a => !string.IsNullOrWhiteSpace(a) && a != PersonalData.Removed))
        {
            // Compared with the family name after it, as people say it ("Lilou Martin"); shown alone.
            ops.QueueSqlCommand("""
                insert into pare.case_index (cell_id, case_id, kind, value, normalized)
                select ?, ?, 'Alias', ?, pare.normalized(? || coalesce(' ' || (select detail from pare.case_index where cell_id = ? and case_id = ? and kind = 'Name' limit 1), ''))
                """, ops.TenantId, e.CaseId, alias, alias, ops.TenantId, e.CaseId);
        }
        foreach (var phone in p.Phones) InsertPhone(ops, e.CaseId, TermKind.Phone, phone, null);
        foreach (var handle in p.SocialMedia) Insert(ops, e.CaseId, TermKind.Handle, handle.Handle, handle.Platform);
        foreach (var associate in p.Associates)
        {
            Insert(ops, e.CaseId, TermKind.Associate, associate.Name, associate.Relationship);
            if (associate.Phone is { } phone) InsertPhone(ops, e.CaseId, TermKind.AssociatePhone, phone, associate.Name);
        }
        foreach (var place in p.PlacesFrequented) Insert(ops, e.CaseId, TermKind.Place, place, null);
        CaseIndex.Relink(ops, e.CaseId);
    }

    public void Project(RunawayReported e, IDocumentOperations ops) => LastSeen(ops, e.CaseId, e.EpisodeId, e.LastSeenPlace);

    public void Project(PastEpisodeRecorded e, IDocumentOperations ops) => LastSeen(ops, e.CaseId, e.EpisodeId, e.LastSeenPlace);

    public void Project(EntryCorrected e, IDocumentOperations ops)
    {
        if (e.Times?.LastSeenPlace is { } place) LastSeen(ops, e.CaseId, e.EpisodeId, place);
        else if (e is { Kind: EntryKind.PastEpisode, Times: null }) LastSeen(ops, e.CaseId, e.EpisodeId, null);
    }

    public void Project(CaseArchived e, IDocumentOperations ops) => CaseIndex.Forget(ops, e.CaseId);

    private static void LastSeen(IDocumentOperations ops, Guid caseId, Guid episodeId, string? place)
    {
        ops.QueueSqlCommand("delete from pare.case_index where cell_id = ? and case_id = ? and kind = ? and detail = ?",
            ops.TenantId, caseId, TermKind.LastSeenPlace.ToString(), episodeId.ToString());
        if (place is not null) Insert(ops, caseId, TermKind.LastSeenPlace, place, episodeId.ToString());
        CaseIndex.Relink(ops, caseId);
    }

    private static void Insert(IDocumentOperations ops, Guid caseId, TermKind kind, string value, string? detail)
    {
        if (string.IsNullOrWhiteSpace(value) || value == PersonalData.Removed) return;
        ops.QueueSqlCommand("insert into pare.case_index (cell_id, case_id, kind, value, detail, normalized) values (?, ?, ?, ?, ?, pare.normalized(?))",
            ops.TenantId, caseId, kind.ToString(), value, (object?)detail ?? DBNull.Value, value);
    }

    private static void InsertPhone(IDocumentOperations ops, Guid caseId, TermKind kind, string value, string? detail)
    {
        if (Phones.Canonical(value) is not { } canonical) return;
        ops.QueueSqlCommand("insert into pare.case_index (cell_id, case_id, kind, value, detail, normalized) values (?, ?, ?, ?, ?, ?)",
            ops.TenantId, caseId, kind.ToString(), value, (object?)detail ?? DBNull.Value, canonical);
    }
}
