using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Episodes;
using static Pare.Cell.Domain.Cases.CaseRefusals;

namespace Pare.Cell.Domain.Cases;

/// <summary>
/// Decide(command, state) → events, for everything that happens to a case. Pure: no clock, no
/// database; a refusal is thrown as <see cref="RefusedException"/> carrying its reason.
/// Who may issue a command (head-only ones) is checked by the API before it gets here.
/// </summary>
public static class CaseDecider
{
    public static IReadOnlyList<ICaseEvent> Decide(CaseCommand command, Case? state)
    {
        if (command is OpenCase open) return Open(open, state);
        if (state is null) throw new RefusedException(CaseNotFound);
        if (command is ReopenCase reopen) return Reopen(reopen, state);
        if (state.Status == CaseStatus.Closed) throw new RefusedException(CaseIsClosed);

        return command switch
        {
            AssignWorker c => c.WorkerId == state.AssignedWorkerId
                ? []
                : [new WorkerAssigned(state.Id, c.WorkerId, state.AssignedWorkerId, c.Reason, Provenance.Now(c.By, c.Now))],
            ChangePlacement c => c.Placement == state.Placement ? [] : [new PlacementChanged(state.Id, c.Placement, Provenance.Now(c.By, c.Now))],
            UpdateGuardianContacts c => [new GuardianContactsUpdated(state.Id, c.Guardians, Provenance.Now(c.By, c.Now))],
            UpdateMinorProfile c => [new MinorProfileUpdated(state.Id, c.Profile, Provenance.Now(c.By, c.Now))],
            CloseCase c => Close(c, state),
            CorrectEntry c => Correct(c, state),
            _ => EpisodeDecider.Decide(command, state),
        };
    }

    private static ICaseEvent[] Open(OpenCase c, Case? state)
    {
        if (state is not null) throw new RefusedException(AlreadyOpened);
        return [new CaseOpened(c.CaseId, CaseReference.For(c.CaseId), c.Minor, c.Placement, c.AssignedWorkerId, Provenance.Now(c.By, c.Now))];
    }

    private static ICaseEvent[] Close(CloseCase c, Case state)
    {
        if (state.MissingEpisodeId is not null) throw new RefusedException(MinorIsMissing);
        return [new CaseClosed(state.Id, c.Reason, c.Note, Provenance.Now(c.By, c.Now))];
    }

    private static ICaseEvent[] Reopen(ReopenCase c, Case state)
    {
        if (state.Status == CaseStatus.Open) throw new RefusedException(CaseIsOpen);
        return [new CaseReopened(state.Id, c.Reason, Provenance.Now(c.By, c.Now))];
    }

    private static ICaseEvent[] Correct(CorrectEntry c, Case state)
    {
        if (!state.Entries.TryGetValue(c.CorrectedVersion, out var entry)) throw new RefusedException(NothingToCorrect);
        if (entry.Corrected) throw new RefusedException(AlreadyCorrected);
        if (c.Times is { } times)
        {
            var episode = state.Episode(entry.EpisodeId!.Value)!;
            var appliesToReport = entry.Kind == EntryKind.RunawayReport && times.ReturnedAt is null;
            var appliesToReturn = entry.Kind == EntryKind.Return && times.LastSeenAt is null && times.LastSeenPlace is null;
            if (!appliesToReport && !appliesToReturn) throw new RefusedException(TimesDoNotApply);
            var lastSeen = times.LastSeenAt ?? episode.LastSeenAt;
            var returned = times.ReturnedAt ?? episode.ReturnedAt;
            if (returned is { } r && r < lastSeen) throw new RefusedException(ReturnBeforeLastSeen);
        }
        else if (entry.Kind is EntryKind.RunawayReport or EntryKind.Return)
        {
            // Withdrawing a report or a return would leave an episode without its start or end.
            throw new RefusedException(TimesDoNotApply);
        }
        return [new EntryCorrected(state.Id, c.CorrectedVersion, c.Reason, c.Times, Provenance.Now(c.By, c.Now))];
    }
}
