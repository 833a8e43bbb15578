namespace Pare.Cell.Api.Infrastructure.Jobs;

/// <summary>
/// Runs a recurring job's work one case at a time, so that one case failing (a timeout, a snapshot
/// that no longer reads) cannot hold back every case after it, in every cell: a missing minor
/// elsewhere still becomes worrying, an undelivered alert is still escalated. The failure is logged
/// (ids and the exception's type only) and the run still fails at the end, for the dashboard and
/// the retry, once every other case has had its turn.
/// </summary>
public sealed class CaseByCase(ILogger logger, string job)
{
    private int _failed;
    private int _total;

    public async Task RunAsync(Guid caseId, Func<Task> work, CancellationToken cancellationToken)
    {
        _total++;
        try
        {
            await work();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            _failed++;
            if (Database.DatabaseOutage.Is(e))
                logger.LogWarning("{Job}: case {CaseId} not reached, the database is unavailable ({Error}); next run", job, caseId, e.GetType().Name);
            else
                logger.LogError("{Job}: case {CaseId} failed ({Error}); going on with the others", job, caseId, e.GetType().Name);
        }
    }

    /// <summary>Fails the run if any case failed, after all of them were tried.</summary>
    public void ThrowIfAnyFailed()
    {
        if (_failed > 0) throw new CasesFailedException(job, _failed, _total);
    }
}

public sealed class CasesFailedException(string job, int failed, int total)
    : Exception($"{job}: {failed} of {total} cases failed (see the log for their ids).");
