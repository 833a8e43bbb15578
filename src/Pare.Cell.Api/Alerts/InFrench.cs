using System.Globalization;
using Pare.Cell.Domain.Assessments;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Episodes;
using Pare.Cell.Domain.Policies;
using Pare.Cell.Domain.Reminders;

namespace Pare.Cell.Api.Alerts;

/// <summary>
/// The words a person reads in a message, for every value the code names in English (DOMAIN.md's
/// glossary): a magistrate reads "placé·e par l'ASE en établissement", never <c>ChildWelfareEstablishment</c>.
/// Times are Paris time with their offset, which changes twice a year.
/// </summary>
public static class InFrench
{
    public static readonly CultureInfo Culture = CultureInfo.GetCultureInfo("fr-FR");

    /// <summary>"samedi 28 novembre 2026 à 10 h 05 (UTC+01:00)".</summary>
    public static string Time(DateTimeOffset instant)
    {
        var local = CellTime.ToLocal(instant);
        var offset = local.Offset;
        return $"{local.ToString("dddd d MMMM yyyy 'à' HH' h 'mm", Culture)} (UTC{(offset < TimeSpan.Zero ? "-" : "+")}{offset:hh\\:mm})";
    }

    public static string Date(DateOnly day) => day.ToString("d MMMM yyyy", Culture);

    /// <summary>"45 min", "2 h", "2 h 05", "3 j 4 h": how long, to the minute under a day, to the hour beyond.</summary>
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero) span = TimeSpan.Zero;
        if (span < TimeSpan.FromHours(1)) return $"{(int)span.TotalMinutes} min";
        if (span < TimeSpan.FromDays(1)) return span.Minutes == 0 ? $"{(int)span.TotalHours} h" : $"{(int)span.TotalHours} h {span.Minutes:00}";
        return $"{(int)span.TotalDays} j {span.Hours} h";
    }

    public static string Placement(PlacementKind kind) => kind switch
    {
        PlacementKind.AtHome => "vit chez ses parents ou responsables légaux",
        PlacementKind.ChildWelfareEstablishment => "placé·e par l'ASE en établissement",
        PlacementKind.FosterFamily => "placé·e par l'ASE en famille d'accueil",
        _ => "autre situation",
    };

    public static string Risk(RiskLevel level) => level switch
    {
        RiskLevel.AtRisk => "en risque",
        RiskLevel.InSituation => "en situation prostitutionnelle",
        _ => "aucun risque identifié",
    };

    public static string Classification(RunawayClassification classification) => classification switch
    {
        RunawayClassification.UnauthorisedAbsence => "sortie non autorisée",
        RunawayClassification.Runaway => "fugue",
        _ => "disparition inquiétante",
    };

    public static string Channel(ContactChannel channel) => channel switch
    {
        ContactChannel.Phone => "téléphone",
        ContactChannel.TextMessage => "SMS",
        ContactChannel.SocialMedia => "réseau social",
        ContactChannel.InPerson => "en personne",
        ContactChannel.Email => "courriel",
        _ => "autre moyen",
    };

    public static string Outcome(ContactOutcome outcome) => outcome switch
    {
        ContactOutcome.Reached => "joint·e",
        ContactOutcome.NoAnswer => "pas de réponse",
        ContactOutcome.MessageLeft => "message laissé",
        _ => "refus",
    };

    /// <summary>Every rule by its own words: a rule added later must be named here, not fall into another rule's words.</summary>
    public static string Reminder(ReminderRule rule) => rule switch
    {
        ReminderRule.ReturnInterview => "entretien de retour",
        ReminderRule.ContactAttempt => "tentative de contact",
        ReminderRule.RiskReassessment => "réévaluation du risque",
        ReminderRule.CaseReview => "revue du dossier",
        ReminderRule.AlertUnacknowledged => "signalement sans accusé de réception",
        ReminderRule.ReferralFollowUp => "relance d'une orientation",
        ReminderRule.Reassignment => "réattribution du dossier",
        ReminderRule.OnCallGap => "planning d'astreinte à compléter",
        ReminderRule.PartnerWebhookDead => "webhook partenaire abandonné",
        _ => "rappel",
    };

    public static string Return(ReturnMode mode) => mode switch
    {
        ReturnMode.CameBackAlone => "revenu·e seul·e",
        ReturnMode.FoundByPolice => "retrouvé·e par la police ou la gendarmerie",
        ReturnMode.BroughtByThirdParty => "ramené·e par un tiers",
        _ => "localisé·e chez un tiers",
    };

    /// <summary>Why the disappearance is worrying, with the measured fact when the record kept it.</summary>
    public static string Criterion(MatchedCriterion matched, RiskLevel? currentRisk) => matched.Criterion switch
    {
        WorryingCriterion.YoungerThanThreshold => matched is { Value: { } age, Threshold: { } years }
            ? $"âge : {age} ans, moins de {years} ans" : "moins que l'âge retenu par la cellule",
        WorryingCriterion.RiskLevel => currentRisk is RiskLevel.AtRisk or RiskLevel.InSituation
            ? $"risque prostitutionnel : {Risk(currentRisk.Value)}" : "risque prostitutionnel évalué en risque ou en situation",
        WorryingCriterion.HealthNeedsOrMedication => "besoins de santé ou traitement médical (voir la fiche)",
        WorryingCriterion.Disability => "handicap (voir la fiche)",
        WorryingCriterion.SelfHarmRisk => "risque suicidaire ou d'automutilation",
        WorryingCriterion.ThirdPartyInvolvement => "implication d'un tiers ou exploitation suspectée",
        WorryingCriterion.FirstKnownEpisode => "première fugue connue : comportement inhabituel",
        WorryingCriterion.DangerDeclared => "danger signalé par un·e professionnel·le (lieu, météo)",
        WorryingCriterion.MissingLongerThanThreshold => matched is { Value: { } hours, Threshold: { } limit }
            ? $"disparu·e depuis {hours} h, au-delà de {limit} h" : "disparu·e depuis plus longtemps que le délai retenu par la cellule",
        WorryingCriterion.RepeatedEpisodes => matched is { Value: { } count, Threshold: { } days }
            ? $"{count} fugues en {days} jours" : "fugues répétées",
        _ => matched.Detail == MatchedCriterion.ClassifiedAtReport
            ? "classée disparition inquiétante dès le signalement"
            : $"jugée inquiétante par un·e travailleur·se social·e : « {matched.Detail} »",
    };
}
