using Pare.Cell.Domain.Alerts;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Common;
using static Pare.Cell.Domain.Cases.CaseRefusals;

namespace Pare.Cell.Domain.Episodes;

/// <summary>The rules of a runaway episode. Called by <see cref="CaseDecider"/> on an open case.</summary>
public static class EpisodeDecider
{
    public static ICaseEvent[] Decide(CaseCommand command, Case state) => command switch
    {
        ReportRunaway c => Report(c, state),
        LogContact c => During(state, c.EpisodeId, c.OccurredAt, allowAfterReturn: true,
            ep => new EpisodeContactLogged(state.Id, ep.Id, c.With, c.Channel, c.Outcome, c.Notes, c.SupportOfferedToFamily, new Provenance(c.By, c.OccurredAt, c.Now))),
        ReportSighting c => During(state, c.EpisodeId, c.SeenAt, allowAfterReturn: false,
            ep => new SightingReported(state.Id, ep.Id, c.Place, c.Source, c.Details, new Provenance(c.By, c.SeenAt, c.Now))),
        AddEpisodeInformation c => During(state, c.EpisodeId, c.OccurredAt, allowAfterReturn: true,
            ep => new EpisodeInformationAdded(state.Id, ep.Id, c.Information, c.Signs, new Provenance(c.By, c.OccurredAt, c.Now))),
        RecordReturn c => Return(c, state),
        RecordPastEpisode c => RecordPast(c, state),
        CloseEpisode c => Close(c, state),
        LowerClassification c => Lower(c, state),
        ReviewOpenEpisode => [], // the review itself is the decider's post-step: nothing else happens
        _ => throw new InvalidOperationException($"No decision for {command.GetType().Name}."),
    };

    private static ICaseEvent[] Report(ReportRunaway c, Case state)
    {
        if (state.MissingEpisodeId is not null) throw new RefusedException(EpisodeAlreadyOpen);
        return
        [
            new RunawayReported(state.Id, c.EpisodeId, c.LastSeenAt, c.LastSeenPlace, c.ReportedBy, c.Circumstances, c.Clothing,
                c.Companions, c.DestinationHints, c.Classification, c.Signs, new Provenance(c.By, c.LastSeenAt, c.Now)),
        ];
    }

    private static ICaseEvent[] During(Case state, Guid episodeId, DateTimeOffset occurredAt, bool allowAfterReturn, Func<EpisodeSummary, ICaseEvent> fact)
    {
        var episode = Existing(state, episodeId);
        if (episode.Status == EpisodeStatus.Closed) throw new RefusedException(EpisodeIsClosed);
        if (!allowAfterReturn && episode.Status == EpisodeStatus.Returned) throw new RefusedException(AlreadyReturned);
        if (occurredAt < episode.LastSeenAt) throw new RefusedException(EntryBeforeLastSeen);
        return [fact(episode)];
    }

    private static ICaseEvent[] Return(RecordReturn c, Case state)
    {
        var episode = Existing(state, c.EpisodeId);
        if (episode.Status == EpisodeStatus.Closed) throw new RefusedException(EpisodeIsClosed);
        if (episode.Status == EpisodeStatus.Returned) throw new RefusedException(AlreadyReturned);
        if (c.ReturnedAt < episode.LastSeenAt) throw new RefusedException(ReturnBeforeLastSeen);
        return [new ReturnRecorded(state.Id, episode.Id, c.ReturnedAt, c.How, c.WhereStayed, c.SafetyCheck, new Provenance(c.By, c.ReturnedAt, c.Now))];
    }

    private static ICaseEvent[] RecordPast(RecordPastEpisode c, Case state)
    {
        if (c.ReturnedAt < c.LastSeenAt) throw new RefusedException(ReturnBeforeLastSeen);
        if (c.ReturnedAt > c.Now) throw new RefusedException(PastEpisodeNotOver);
        if (Overlapping(state, c.LastSeenAt, c.ReturnedAt, c.Now, except: null)) throw new RefusedException(EpisodesOverlap);
        return
        [
            new PastEpisodeRecorded(state.Id, c.EpisodeId, c.LastSeenAt, c.ReturnedAt, c.LastSeenPlace, c.Classification, c.How, c.Source, c.Notes,
                new Provenance(c.By, c.LastSeenAt, c.Now)),
        ];
    }

    /// <summary>Whether [from, to] meets another episode of the case (an open one runs until now).</summary>
    internal static bool Overlapping(Case state, DateTimeOffset from, DateTimeOffset to, DateTimeOffset now, Guid? except) =>
        state.Episodes.Any(e => e.Id != except && e.LastSeenAt <= to && (e.ReturnedAt ?? now) >= from);

    private static ICaseEvent[] Close(CloseEpisode c, Case state)
    {
        var episode = Existing(state, c.EpisodeId);
        if (episode.Status == EpisodeStatus.Closed) throw new RefusedException(EpisodeIsClosed);
        if (episode.Status == EpisodeStatus.Missing) throw new RefusedException(NotReturnedYet);
        return [new EpisodeClosed(state.Id, episode.Id, Provenance.Now(c.By, c.Now))];
    }

    private static ICaseEvent[] Lower(LowerClassification c, Case state)
    {
        var episode = Existing(state, c.EpisodeId);
        if (episode.Classification != RunawayClassification.WorryingDisappearance) throw new RefusedException(NotWorrying);
        if (c.Classification == RunawayClassification.WorryingDisappearance) throw new RefusedException(NotALowerClassification);
        return [new EpisodeClassificationLowered(state.Id, episode.Id, c.Classification, c.Reason, Provenance.Now(c.By, c.Now))];
    }

    internal static EpisodeSummary Existing(Case state, Guid episodeId) =>
        state.Episode(episodeId) ?? throw new RefusedException(EpisodeNotFound);
}
