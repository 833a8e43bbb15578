using Marten;
using Npgsql;
using Pare.Cell.Api.Infrastructure.Auth;

namespace Pare.Cell.Api.Photos;

/// <summary>
/// Photos' bytes in PostgreSQL, per cell: one row per version (the profile event that set it names
/// it), never updated; removed with the rest of the case's personal data at retention. Each read
/// writes its access-journal row in the same statement.
/// </summary>
public sealed class PhotoStore(NpgsqlDataSource dataSource, TimeProvider clock)
{
    public const string Schema = """
        create schema if not exists pare;
        create table if not exists pare.case_photos (
            cell_id     text        not null,
            case_id     uuid        not null,
            photo_id    uuid        not null,
            width       int         not null,
            height      int         not null,
            image       bytea       not null,
            thumbnail   bytea       not null,
            created_at  timestamptz not null,
            primary key (cell_id, photo_id)
        );
        create index if not exists case_photos_by_case on pare.case_photos (cell_id, case_id);
        """;

    /// <summary>Queued into the session that records the profile's new version: both commit, or neither.</summary>
    public void Enlist(IDocumentSession session, Guid caseId, Guid photoId, ProcessedPhoto photo) =>
        session.QueueSqlCommand(
            "insert into pare.case_photos (cell_id, case_id, photo_id, width, height, image, thumbnail, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)",
            session.TenantId, caseId, photoId, photo.Width, photo.Height, photo.Image, photo.Thumbnail, clock.GetUtcNow());

    /// <summary>
    /// The JPEG (or its thumbnail) of one of the case's photos, journaled for <paramref name="readerId"/>
    /// under the photo's case; null when none. No case (a signed link): the photo of the cell.
    /// </summary>
    public async Task<byte[]?> ReadAsync(string cellId, Guid? caseId, Guid photoId, bool thumbnail, string readerId, string action, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            with found as (select case_id, {(thumbnail ? "thumbnail" : "image")} as bytes from pare.case_photos
                           where cell_id = $1 and ($2::uuid is null or case_id = $2) and photo_id = $3),
                 journaled as (insert into audit.access_journal (cell_id, user_id, case_id, action, occurred_at, granted_by)
                               select $1, $4, case_id, $5, $6, (select issued_by from pare.partner_clients where client_id = $4 and cell_id = $1) from found)
            select bytes from found
            """);
        command.Parameters.Add(new() { Value = cellId });
        command.Parameters.Add(new() { Value = (object?)caseId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
        command.Parameters.Add(new() { Value = photoId });
        command.Parameters.Add(new() { Value = readerId });
        command.Parameters.Add(new() { Value = action });
        command.Parameters.Add(new() { Value = clock.GetUtcNow() });
        return await command.ExecuteScalarAsync(cancellationToken) as byte[];
    }

    /// <summary>Retention: the case's photos leave with its other personal data.</summary>
    public async Task ForgetAsync(string cellId, Guid caseId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("delete from pare.case_photos where cell_id = $1 and case_id = $2");
        command.Parameters.Add(new() { Value = cellId });
        command.Parameters.Add(new() { Value = caseId });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
