using Marten;
using Npgsql;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Infrastructure.Jobs;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Episodes;

namespace Pare.Cell.Api.Alerts;

/// <summary>
/// A recurring job (each minute): every open episode, in every cell, is looked at again under its
/// cell's policy, so that a minor missing past the duration threshold becomes worrying, and the
/// prosecutor is alerted, without anyone reading or writing the case. Time comes from
/// <see cref="TimeProvider"/> through the decider.
/// </summary>
public sealed class OpenEpisodeReview(NpgsqlDataSource dataSource, IDocumentStore store, CaseWriter cases, ILogger<OpenEpisodeReview> logger)
{
    public const string JobId = "open-episode-review";

    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        var table = store.Options.Schema.For<Case>();
        var open = new List<(string CellId, Guid CaseId)>();
        await using (var query = dataSource.CreateCommand(
            $"select tenant_id, id from {table} where missing_episode_id is not null"))
        await using (var reader = await query.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken)) open.Add((reader.GetString(0), reader.GetGuid(1)));

        var each = new CaseByCase(logger, JobId);
        foreach (var (cellId, caseId) in open)
            await each.RunAsync(caseId, async () =>
            {
                if (await cases.DecideAsSystemAsync(cellId, caseId, (by, now) => new ReviewOpenEpisode(by, now), cancellationToken) is { Count: > 0 })
                    logger.LogWarning("Open episode of case {CaseId} became worrying as time passed", caseId);
            }, cancellationToken);
        each.ThrowIfAnyFailed();
    }
}
