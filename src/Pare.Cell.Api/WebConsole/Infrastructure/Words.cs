using Pare.Cell.Api.Alerts;
using Pare.Cell.Domain.Assessments;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Episodes;
using Pare.Cell.Domain.Policies;
using Pare.Cell.Domain.Referrals;
using Pare.Cell.Domain.Reminders;

namespace Pare.Cell.Api.WebConsole.Infrastructure;

/// <summary>
/// The French word for every value the console shows or offers: the alerts' words (<see cref="InFrench"/>)
/// where they have one, as a label.
/// </summary>
public static class Words
{
    private static string Capitalized(string words) => string.Concat(char.ToUpper(words[0], InFrench.Culture), words[1..]);

    public static string Of(RunawayClassification value) => Capitalized(InFrench.Classification(value));

    public static string Of(EpisodeStatus value) => value switch
    {
        EpisodeStatus.Missing => "Disparu·e",
        EpisodeStatus.Returned => "Revenu·e",
        _ => "Clos",
    };

    public static string Of(ContactParty value) => value switch
    {
        ContactParty.Minor => "Le ou la mineur·e",
        ContactParty.ParentOrGuardian => "Parent ou responsable légal",
        ContactParty.Peer => "Ami·e ou pair",
        ContactParty.Professional => "Professionnel·le",
        _ => "Autre personne",
    };

    public static string Of(ContactChannel value) => Capitalized(InFrench.Channel(value));

    public static string Of(ContactOutcome value) => Capitalized(InFrench.Outcome(value));

    public static string Of(ReturnMode value) => Capitalized(InFrench.Return(value));

    public static string Of(RiskLevel? value) => value is { } level ? Capitalized(InFrench.Risk(level)) : "Pas encore évalué";

    public static string Of(AlertStatus? value) => value switch
    {
        AlertStatus.Pending => "En cours d'envoi",
        AlertStatus.Delivered => "Délivré, sans accusé de réception",
        AlertStatus.Acknowledged => "Reçu par le parquet",
        AlertStatus.Escalated => "Non délivré : escaladé au chef de service",
        _ => "Aucun signalement",
    };

    public static string Of(ReminderRule value) => Capitalized(InFrench.Reminder(value));

    public static string Of(CaseStatus value) => value == CaseStatus.Open ? "Ouvert" : "Clos";

    public static string Of(PlacementKind value) => Capitalized(InFrench.Placement(value));

    public static string Of(PartnerType value) => value switch
    {
        PartnerType.MissingChildrenHotline => "116 000 Enfants Disparus",
        PartnerType.Association => "Association",
        PartnerType.ChildWelfareService => "ASE",
        PartnerType.ConcernsUnit => "CRIP",
        PartnerType.PoliceOrGendarmerie => "Police ou gendarmerie",
        PartnerType.Hospital => "Hôpital",
        PartnerType.SchoolSocialService => "Service social scolaire",
        _ => "Autre partenaire",
    };

    public static string Of(ReferralStatus value) => value switch
    {
        ReferralStatus.Draft => "Brouillon",
        ReferralStatus.Sent => "Envoyée",
        ReferralStatus.Received => "Reçue",
        ReferralStatus.Accepted => "Acceptée",
        ReferralStatus.Declined => "Refusée",
        ReferralStatus.InProgress => "En cours",
        ReferralStatus.Completed => "Terminée",
        ReferralStatus.Cancelled => "Annulée",
        _ => "Révoquée",
    };

    public static string Of(WorryingCriterion value) => value switch
    {
        WorryingCriterion.YoungerThanThreshold => "Âge sous le seuil",
        WorryingCriterion.RiskLevel => "Niveau de risque",
        WorryingCriterion.HealthNeedsOrMedication => "Besoins de santé ou traitement",
        WorryingCriterion.Disability => "Handicap",
        WorryingCriterion.SelfHarmRisk => "Risque suicidaire ou d'automutilation",
        WorryingCriterion.ThirdPartyInvolvement => "Implication d'un tiers ou signes d'exploitation",
        WorryingCriterion.FirstKnownEpisode => "Première fugue connue",
        WorryingCriterion.DangerDeclared => "Danger déclaré",
        WorryingCriterion.MissingLongerThanThreshold => "Durée au-delà du seuil",
        WorryingCriterion.RepeatedEpisodes => "Fugues répétées",
        _ => "Signalé par un·e professionnel·le",
    };

    public static string Of(IndicatorCategory value) => value switch
    {
        IndicatorCategory.Vulnerability => "Vulnérabilités",
        IndicatorCategory.Moderate => "Indicateurs modérés",
        IndicatorCategory.Significant => "Indicateurs importants",
        _ => "Indicateurs confirmant une situation",
    };

    public static string Of(GuardianRelationship value) => value switch
    {
        GuardianRelationship.Mother => "mère",
        GuardianRelationship.Father => "père",
        GuardianRelationship.LegalGuardian => "tuteur ou tutrice",
        GuardianRelationship.ChildWelfareReferent => "référent·e ASE",
        GuardianRelationship.EstablishmentEducator => "éducateur·rice de l'établissement",
        GuardianRelationship.FosterCarer => "assistant·e familial·e",
        _ => "autre",
    };

    public static string Of(ClosureReason value) => value switch
    {
        ClosureReason.ReachedMajority => "Majorité atteinte",
        ClosureReason.NoLongerAtRisk => "Suivi plus nécessaire",
        ClosureReason.MovedAway => "Déménagement hors du territoire",
        ClosureReason.Transferred => "Transmis à un autre service",
        _ => "Autre motif",
    };
}
