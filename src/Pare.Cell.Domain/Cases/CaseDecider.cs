using Pare.Cell.Domain.Alerts;
using Pare.Cell.Domain.Assessments;
using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Episodes;
using Pare.Cell.Domain.Policies;
using Pare.Cell.Domain.Reminders;
using static Pare.Cell.Domain.Cases.CaseRefusals;

namespace Pare.Cell.Domain.Cases;

/// <summary>
/// Decide(command, state) → events, for everything that happens to a case. Pure: no clock, no
/// database; a refusal is thrown as <see cref="RefusedException"/> carrying its reason.
/// Who may issue a command (head-only ones) is checked by the API before it gets here.
/// <para>
/// After any command that may change the facts of an open episode, the episode is reviewed under
/// the cell's policy (<see cref="WorryingContext"/>): if it has just become worrying, the same
/// decision appends <see cref="EpisodeBecameWorrying"/>, so the alert is committed with the fact.
/// </para>
/// </summary>
public static class CaseDecider
{
    public static IReadOnlyList<ICaseEvent> Decide(CaseCommand command, Case? state, WorryingContext? worrying = null)
    {
        if (command is OpenCase open) return Open(open, state);
        if (state is null) throw new RefusedException(CaseNotFound);
        if (IsAlertBookkeeping(command)) return AlertDecider.Decide(command, state);
        if (state.ArchivedAt is not null) throw new RefusedException(CaseArchivedRefusal);
        if (command is ReopenCase reopen) return Reopen(reopen, state);
        // Closed cases too: one reopened later must not show a worker who can no longer be reached.
        if (command is RecordWorkerAvailability availability) return Availability(availability, state);
        if (command is Retention.ArchiveCase archive)
            return Retention.RetentionRules.IsDue(state, archive.Now) ? [new Retention.CaseArchived(state.Id, Provenance.Now(archive.By, archive.Now))] : [];
        if (state.Status == CaseStatus.Closed) throw new RefusedException(CaseIsClosed);

        if (command is FlagWorrying flag) return Flag(flag, state, worrying ?? throw new ArgumentNullException(nameof(worrying)));
        if (command is LowerClassification lower) return Lower(lower, state, worrying);

        ICaseEvent[] events = command switch
        {
            AssignWorker c => c.WorkerId == state.AssignedWorkerId
                ? []
                : [new WorkerAssigned(state.Id, c.WorkerId, state.AssignedWorkerId, c.Reason, Provenance.Now(c.By, c.Now))],
            ChangePlacement c => c.Placement == state.Placement ? [] : [new PlacementChanged(state.Id, c.Placement, Provenance.Now(c.By, c.Now))],
            UpdateGuardianContacts c => [new GuardianContactsUpdated(state.Id, c.Guardians, Provenance.Now(c.By, c.Now))],
            // The photo has its own command: a profile sent without one keeps the current photo.
            UpdateMinorProfile c => [new MinorProfileUpdated(state.Id, c.Profile with { Photo = state.Profile.Photo }, Provenance.Now(c.By, c.Now))],
            ChangeMinorPhoto c => [new MinorProfileUpdated(state.Id, state.Profile with { Photo = c.Photo }, Provenance.Now(c.By, c.Now))],
            CloseCase c => Close(c, state),
            CorrectEntry c => Correct(c, state),
            RecordReturnInterview or DeclineReturnInterview or AssessRisk => AssessmentDecider.Decide(command, state),
            SnoozeReminder or FollowUpReminders or ReviewCase => ReminderDecider.Decide(command, state),
            _ => EpisodeDecider.Decide(command, state),
        };
        if (worrying is null) return events;
        return Review(events, state, worrying, command);
    }

    /// <summary>
    /// Whether this command may make the open episode worrying, so needs the policy: a report, a
    /// flag, a lowering (which records what the policy matches then), or any command while the
    /// minor is missing and the episode not alerted, or lowered by the head.
    /// </summary>
    public static bool MayMakeWorrying(CaseCommand command, Case state) =>
        command is ReportRunaway or FlagWorrying or LowerClassification
        || (!IsAlertBookkeeping(command) && state.MissingEpisodeId is { } missing && state.Episode(missing) is { } episode && MayBeRaised(episode));

    /// <summary>A return on an alerted episode: its found notice follows the alert's routing (e-mail, and the webhook if any).</summary>
    public static bool EndsAlertedEpisode(CaseCommand command, Case state) =>
        command is RecordReturn r && state.Alerts.Any(a => a.EpisodeId == r.EpisodeId);

    /// <summary>
    /// Not alerted yet, or lowered by the head with the criteria it overruled recorded. Alerted and not
    /// lowered since, the policy has nothing more to raise; lowered before overruled criteria were kept
    /// (the event, or a snapshot from then, names none), it is never raised again by itself, as then.
    /// </summary>
    private static bool MayBeRaised(EpisodeSummary episode) =>
        episode.LoweredByHead ? episode.OverruledCriteria is not null : episode.AlertId is null;

    /// <summary>Adds <see cref="EpisodeBecameWorrying"/> when, after <paramref name="events"/>, the open episode matches the policy.</summary>
    private static ICaseEvent[] Review(ICaseEvent[] events, Case state, WorryingContext worrying, CaseCommand command)
    {
        var after = state;
        foreach (var e in events) after = Case.Evolve(after, e)!;
        if (after.MissingEpisodeId is not { } episodeId) return events;

        var episode = after.Episode(episodeId)!;
        if (!MayBeRaised(episode)) return events;

        var matched = WorryingPolicy.Evaluate(worrying.Criteria, after, episode, command.Now).ToList();
        if (episode.LoweredByHead)
            matched.RemoveAll(m => episode.OverruledCriteria!.Contains(m.Criterion)); // the head's judgement stands for those
        else if (episode.Classification == RunawayClassification.WorryingDisappearance)
            matched.Insert(0, new MatchedCriterion(WorryingCriterion.FlaggedByWorker, MatchedCriterion.ClassifiedAtReport));
        if (matched.Count == 0) return events;
        return [.. events, new EpisodeBecameWorrying(state.Id, episodeId, worrying.NewAlertId, matched, worrying.PolicyVersion, Provenance.Now(command.By, command.Now))];
    }

    /// <summary>Only the case's own worker, and each change once.</summary>
    private static ICaseEvent[] Availability(RecordWorkerAvailability c, Case state) => c switch
    {
        _ when c.WorkerId != state.AssignedWorkerId => [],
        { Active: false } when state.AssignedWorkerDeactivatedAt is null => [new AssignedWorkerDeactivated(state.Id, c.WorkerId, Provenance.Now(c.By, c.Now))],
        { Active: true } when state.AssignedWorkerDeactivatedAt is not null => [new AssignedWorkerReactivated(state.Id, c.WorkerId, Provenance.Now(c.By, c.Now))],
        _ => [],
    };

    private static ICaseEvent[] Flag(FlagWorrying c, Case state, WorryingContext worrying)
    {
        var episode = EpisodeDecider.Existing(state, c.EpisodeId);
        if (episode.Status != EpisodeStatus.Missing) throw new RefusedException(EpisodeNotOpen);
        if (episode.Classification == RunawayClassification.WorryingDisappearance) throw new RefusedException(AlreadyWorrying);
        List<MatchedCriterion> matched = [new(WorryingCriterion.FlaggedByWorker, c.Reason), .. WorryingPolicy.Evaluate(worrying.Criteria, state, episode, c.Now)];
        return [new EpisodeBecameWorrying(state.Id, episode.Id, worrying.NewAlertId, matched, worrying.PolicyVersion, Provenance.Now(c.By, c.Now))];
    }

    /// <summary>
    /// The head lowers a worrying classification: the event names the criteria the policy matches
    /// once lowered, which the head's judgement covers. Another criterion coming to match later (a
    /// third party suspected, the 48 hours passing) raises the episode again, with a new alert.
    /// </summary>
    private static ICaseEvent[] Lower(LowerClassification c, Case state, WorryingContext? worrying)
    {
        var lowered = (EpisodeClassificationLowered)EpisodeDecider.Decide(c, state).Single();
        if (worrying is null) return [lowered];
        var after = Case.Evolve(state, lowered)!;
        var overruled = WorryingPolicy.Evaluate(worrying.Criteria, after, after.Episode(c.EpisodeId)!, c.Now).Select(m => m.Criterion).Distinct().ToList();
        return [lowered with { Overruled = overruled }];
    }

    private static readonly Refusal CaseArchivedRefusal = new("case-archived",
        new("This case left the active base: its personal data were removed.", "Ce dossier a quitté la base active : ses données personnelles ont été effacées."));

    private static bool IsAlertBookkeeping(CaseCommand command) =>
        command is RecordAlertDelivery or RecordAlertFailure or EscalateAlert or AcknowledgeAlert or FlagAlertUnacknowledged or RecordFoundNotice;

    private static ICaseEvent[] Open(OpenCase c, Case? state)
    {
        if (state is not null) throw new RefusedException(AlreadyOpened);
        var duplicates = c.ProbableDuplicates ?? [];
        if (duplicates.Count > 0 && !c.ConfirmDistinct) throw new RefusedException(ProbableDuplicate);
        return
        [
            new CaseOpened(c.CaseId, CaseReference.For(c.CaseId), c.Minor, c.Placement, c.AssignedWorkerId, Provenance.Now(c.By, c.Now))
            {
                ConfirmedDistinctFrom = duplicates.Count > 0 ? duplicates : null,
            },
        ];
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
        if (CorrectableEntry.Of(c.Corrected) is not { } entry) throw new RefusedException(NothingToCorrect);
        if (state.CorrectedVersions.Contains(c.CorrectedVersion)) throw new RefusedException(AlreadyCorrected);
        if (c.Times is { } times)
        {
            // A withdrawn past episode has left the case: nothing of it remains to amend.
            var episode = state.Episode(entry.EpisodeId) ?? throw new RefusedException(AlreadyCorrected);
            var appliesToReport = entry.Kind == EntryKind.RunawayReport && times.ReturnedAt is null;
            var appliesToReturn = entry.Kind == EntryKind.Return && times.LastSeenAt is null && times.LastSeenPlace is null;
            if (!appliesToReport && !appliesToReturn && entry.Kind != EntryKind.PastEpisode) throw new RefusedException(TimesDoNotApply);
            var lastSeen = times.LastSeenAt ?? episode.LastSeenAt;
            var returned = times.ReturnedAt ?? episode.ReturnedAt;
            if (returned is { } r && r < lastSeen) throw new RefusedException(ReturnBeforeLastSeen);
            if (entry.Kind == EntryKind.PastEpisode && EpisodeDecider.Overlapping(state, lastSeen, returned!.Value, c.Now, except: episode.Id))
                throw new RefusedException(EpisodesOverlap);
        }
        else if (entry.Kind is EntryKind.RunawayReport or EntryKind.Return)
        {
            // Withdrawing a report or a return would leave an episode without its start or end.
            throw new RefusedException(TimesDoNotApply);
        }
        return [new EntryCorrected(state.Id, c.CorrectedVersion, entry.Kind, entry.EpisodeId, c.Reason, c.Times, Provenance.Now(c.By, c.Now))];
    }
}
