using Mediator;
using Pare.Cell.Api.Cases;
using Pare.Cell.Domain.Episodes;

namespace Pare.Cell.Api.Episodes.Closing;

/// <summary>Wrap up a returned episode; after this, nothing more is logged on it.</summary>
public sealed record CloseEpisodeRequest : EpisodeRequest, ICommand<EntryRecorded>;

public sealed class CloseEpisodeHandler(CaseStreams cases) : ICommandHandler<CloseEpisodeRequest, EntryRecorded>
{
    public async ValueTask<EntryRecorded> Handle(CloseEpisodeRequest r, CancellationToken cancellationToken)
    {
        var written = await cases.DecideAsync(r.CaseId, r.ExpectedVersion, (by, now) => new CloseEpisode(r.EpisodeId, by, now), cancellationToken);
        return EntryRecorded.Of(written, r.EpisodeId);
    }
}
