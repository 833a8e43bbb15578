using System.Text.RegularExpressions;
using Pare.Cell.Api.Alerts;
using Pare.Cell.Domain.Alerts;
using Pare.Cell.Domain.Assessments;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Episodes;
using Pare.Cell.Domain.Policies;
using Pare.Cell.Domain.Reminders;

namespace Pare.Cell.Api.Cases.Timeline;

/// <summary>
/// The words a person reads for a recorded value, in the cell's two languages: never a type's name
/// (<c>ParentOrGuardian</c>, <c>NoAnswer</c>). English spells the name out; French says it as the cell does.
/// </summary>
public static partial class TimelineWords
{
    public static Bilingual Of(Enum value) => new(English(value), French(value));

    /// <summary>"ParentOrGuardian" → "parent or guardian".</summary>
    private static string English(Enum value) => Words().Replace(value.ToString(), " $1").Trim().ToLowerInvariant();

    [GeneratedRegex("(?<!^)([A-Z])")]
    private static partial Regex Words();

    private static string French(Enum value) => value switch
    {
        PlacementKind kind => InFrench.Placement(kind),
        RiskLevel level => InFrench.Risk(level),
        RunawayClassification classification => InFrench.Classification(classification),
        ReturnMode mode => InFrench.Return(mode),
        ContactParty party => party switch
        {
            ContactParty.Minor => "le ou la mineur·e",
            ContactParty.ParentOrGuardian => "un parent ou responsable légal",
            ContactParty.Peer => "un·e proche ou ami·e",
            ContactParty.Professional => "un·e professionnel·le",
            _ => "une autre personne",
        },
        ContactChannel channel => InFrench.Channel(channel),
        ContactOutcome outcome => InFrench.Outcome(outcome),
        ClosureReason reason => reason switch
        {
            ClosureReason.ReachedMajority => "majorité atteinte",
            ClosureReason.NoLongerAtRisk => "plus de risque identifié",
            ClosureReason.MovedAway => "déménagement",
            ClosureReason.Transferred => "suivi transféré",
            _ => "autre motif",
        },
        AlertChannel channel => channel == AlertChannel.Email ? "courriel" : "webhook",
        WorryingCriterion criterion => criterion switch
        {
            WorryingCriterion.YoungerThanThreshold => "âge",
            WorryingCriterion.RiskLevel => "risque prostitutionnel",
            WorryingCriterion.HealthNeedsOrMedication => "besoins de santé",
            WorryingCriterion.Disability => "handicap",
            WorryingCriterion.SelfHarmRisk => "risque suicidaire",
            WorryingCriterion.ThirdPartyInvolvement => "implication d'un tiers",
            WorryingCriterion.FirstKnownEpisode => "première fugue connue",
            WorryingCriterion.DangerDeclared => "danger signalé",
            WorryingCriterion.MissingLongerThanThreshold => "durée de la disparition",
            WorryingCriterion.RepeatedEpisodes => "fugues répétées",
            _ => "signalement d'un·e travailleur·se social·e",
        },
        ReminderRule rule => InFrench.Reminder(rule),
        _ => English(value),
    };
}
