using Npgsql;

namespace Pare.Cell.Api.Caseload;

/// <summary>
/// How fresh a read is: the event store's last sequence number and the time of the read. The
/// caseload and figures read inline projections, updated in the same transaction as every event,
/// so they are exact as of <see cref="AsOfSequence"/>.
/// </summary>
public sealed record Freshness(long AsOfSequence, DateTimeOffset AsOf)
{
    public const string Sql = "select coalesce(max(seq_id), 0) from pare.mt_events";

    public static async Task<Freshness> ReadAsync(NpgsqlDataSource dataSource, TimeProvider clock, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(Sql);
        var sequence = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        return new Freshness(sequence, clock.GetUtcNow());
    }
}
