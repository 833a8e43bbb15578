using System.Text.Json;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Episodes;

namespace Pare.Cell.Domain.Assessments;

/// <summary>The return interview was held, under the named questionnaire version.</summary>
public sealed record ReturnInterviewRecorded(
    Guid CaseId,
    Guid EpisodeId,
    int QuestionnaireVersion,
    IReadOnlyDictionary<string, JsonElement> Answers,
    IReadOnlyList<string> Present,
    string? MinorsOwnWords,
    IReadOnlyList<string> RevealedIndicators,
    Provenance Provenance) : IEpisodeEvent;

/// <summary>A decision not to hold the return interview, with its reason.</summary>
public sealed record ReturnInterviewNotHeld(Guid CaseId, Guid EpisodeId, string Reason, Provenance Provenance) : IEpisodeEvent;

/// <summary>A prostitution-risk assessment: what was observed, the computed suggestion and the worker's final level.</summary>
public sealed record RiskAssessed(
    Guid CaseId,
    Guid AssessmentId,
    int CatalogueVersion,
    IReadOnlyList<ObservedIndicator> Observed,
    int Score,
    RiskLevel SuggestedLevel,
    IReadOnlyList<ScoreReason> Reasons,
    RiskLevel FinalLevel,
    string? Justification,
    Provenance Provenance) : ICaseEvent;

public sealed record RecordReturnInterview(
    Guid EpisodeId,
    int QuestionnaireVersion,
    IReadOnlyDictionary<string, JsonElement> Answers,
    IReadOnlyList<string> Present,
    string? MinorsOwnWords,
    IReadOnlyList<string> RevealedIndicators,
    DateTimeOffset HeldAt,
    Actor By,
    DateTimeOffset Now) : CaseCommand(By, Now);

public sealed record DeclineReturnInterview(Guid EpisodeId, string Reason, Actor By, DateTimeOffset Now) : CaseCommand(By, Now);

/// <summary>The indicators observed, scored by the decider under the catalogue given; the worker's final level.</summary>
public sealed record AssessRisk(
    Guid AssessmentId,
    RiskIndicatorCatalogue Catalogue,
    IReadOnlyList<ObservedIndicator> Observed,
    RiskLevel FinalLevel,
    string? Justification,
    Actor By,
    DateTimeOffset Now) : CaseCommand(By, Now);

public enum InterviewStatus
{
    Due,
    Held,
    NotHeld,
    /// <summary>A past episode recorded after the fact: no return interview is owed for it.</summary>
    NotOwed,
}

/// <summary>One point of the case's risk trend.</summary>
public sealed record RiskPoint(Guid AssessmentId, DateTimeOffset AssessedAt, int Score, RiskLevel Suggested, RiskLevel Final);

/// <summary>Return interviews and risk assessments: the rules, pure.</summary>
public static class AssessmentDecider
{
    public static readonly TimeSpan InterviewDueAfterReturn = TimeSpan.FromHours(72);

    public static ICaseEvent[] Decide(CaseCommand command, Case state) => command switch
    {
        RecordReturnInterview c => [new ReturnInterviewRecorded(state.Id, Returned(state, c.EpisodeId).Id, c.QuestionnaireVersion, c.Answers, c.Present,
            c.MinorsOwnWords, c.RevealedIndicators, new Provenance(c.By, c.HeldAt, c.Now))],
        DeclineReturnInterview c => [new ReturnInterviewNotHeld(state.Id, Returned(state, c.EpisodeId).Id, c.Reason, Provenance.Now(c.By, c.Now))],
        AssessRisk c => Assess(c, state),
        _ => throw new InvalidOperationException($"No decision for {command.GetType().Name}."),
    };

    /// <summary>The score and suggestion are computed here, not taken from the caller: a final level that differs needs a justification.</summary>
    private static ICaseEvent[] Assess(AssessRisk c, Case state)
    {
        var computed = RiskScoring.Score(c.Catalogue, c.Observed, DateOnly.FromDateTime(c.Now.UtcDateTime));
        if (c.FinalLevel != computed.SuggestedLevel && string.IsNullOrWhiteSpace(c.Justification))
            throw new RefusedException(AssessmentRefusals.JustificationRequired);
        return [new RiskAssessed(state.Id, c.AssessmentId, c.Catalogue.Version, c.Observed, computed.Score, computed.SuggestedLevel,
            computed.Reasons, c.FinalLevel, c.Justification, Provenance.Now(c.By, c.Now))];
    }

    private static EpisodeSummary Returned(Case state, Guid episodeId)
    {
        var episode = EpisodeDecider.Existing(state, episodeId);
        if (episode.Status == EpisodeStatus.Missing) throw new RefusedException(AssessmentRefusals.NotReturned);
        if (episode.Interview != InterviewStatus.Due) throw new RefusedException(AssessmentRefusals.InterviewAlreadyDecided);
        return episode;
    }
}

public static class AssessmentRefusals
{
    public static readonly Refusal NotReturned = new("episode-still-open",
        new("The minor has not returned yet: the return interview follows the return.", "Le ou la mineur·e n'est pas encore revenu·e : l'entretien de retour suit le retour."));

    public static readonly Refusal InterviewAlreadyDecided = new("interview-already-recorded",
        new("The return interview of this episode is already recorded (held or not held).", "L'entretien de retour de cet épisode est déjà enregistré (tenu ou non)."));

    public static readonly Refusal JustificationRequired = new("justification-required",
        new("A final level that differs from the suggested level needs a written justification.", "Un niveau final différent du niveau suggéré doit être justifié par écrit."),
        RefusalKind.Invalid, "justification");
}
