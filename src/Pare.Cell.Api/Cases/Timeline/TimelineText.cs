using Pare.Cell.Domain.Alerts;
using Pare.Cell.Domain.Assessments;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Episodes;

namespace Pare.Cell.Api.Cases.Timeline;

/// <summary>
/// One sentence per kind of fact, in the cell's two languages: what a person reads on the timeline.
/// Values in words (<see cref="TimelineWords"/>: "parent or guardian", never the C# name <c>ParentOrGuardian</c>).
/// </summary>
public static class TimelineText
{
    private static string En(Enum value) => TimelineWords.Of(value).English;
    private static string Fr(Enum value) => TimelineWords.Of(value).French;

    public static Bilingual Describe(ICaseEvent e) => e switch
    {
        CaseOpened => new("Case opened.", "Dossier ouvert."),
        WorkerAssigned => new("Worker assigned.", "Travailleur·se social·e désigné·e."),
        AssignedWorkerDeactivated => new("The case's worker was deactivated: nobody reachable follows the case until it is reassigned.",
            "Le ou la travailleur·se social·e du dossier a été désactivé·e : personne de joignable ne suit le dossier jusqu'à sa réattribution."),
        AssignedWorkerReactivated => new("The case's worker was reactivated.", "Le ou la travailleur·se social·e du dossier a été réactivé·e."),
        PlacementChanged x => new($"Placement changed ({En(x.Placement.Kind)}).", $"Placement modifié ({Fr(x.Placement.Kind)})."),
        GuardianContactsUpdated x => new($"Guardian contacts updated ({x.Guardians.Count}).", $"Contacts des responsables légaux mis à jour ({x.Guardians.Count})."),
        MinorProfileUpdated => new("Minor profile updated.", "Fiche de signalement mise à jour."),
        CaseClosed x => new($"Case closed ({En(x.Reason)}).", $"Dossier clos ({Fr(x.Reason)})."),
        CaseReopened => new("Case reopened.", "Dossier rouvert."),
        RunawayReported x => new($"Runaway reported ({En(x.Classification)}).", $"Fugue signalée ({Fr(x.Classification)})."),
        EpisodeContactLogged x => new($"Contact with the {En(x.With)} by {En(x.Channel)}: {En(x.Outcome)}.", $"Contact avec {Fr(x.With)} ({Fr(x.Channel)}) : {Fr(x.Outcome)}."),
        SightingReported => new("Sighting reported.", "Le ou la mineur·e a été aperçu·e."),
        EpisodeInformationAdded => new("New information.", "Nouvelle information."),
        PastEpisodeRecorded x => new($"Past runaway recorded after the fact: {x.LastSeenAt:yyyy-MM-dd HH:mm} to {x.ReturnedAt:yyyy-MM-dd HH:mm} UTC.",
            $"Fugue passée enregistrée après coup : du {x.LastSeenAt:dd/MM/yyyy HH:mm} au {x.ReturnedAt:dd/MM/yyyy HH:mm} UTC."),
        ReturnRecorded x => new($"Return recorded ({En(x.How)}).", $"Retour enregistré ({Fr(x.How)})."),
        EpisodeClosed => new("Episode closed.", "Épisode clos."),
        EntryCorrected { Kind: EntryKind.PastEpisode, Times: null } x => new($"Past episode {x.CorrectedVersion} withdrawn as mistaken.", $"Épisode passé {x.CorrectedVersion} retiré car erroné."),
        EntryCorrected x => x.Times is null
            ? new($"Entry {x.CorrectedVersion} withdrawn as mistaken.", $"Saisie {x.CorrectedVersion} retirée car erronée.")
            : new($"Times of entry {x.CorrectedVersion} corrected.", $"Horaires de la saisie {x.CorrectedVersion} corrigés."),
        EpisodeBecameWorrying x => new($"Worrying disappearance: prosecutor alert {x.AlertId} raised ({string.Join(", ", x.Matched.Select(m => En(m.Criterion)))}).",
            $"Disparition inquiétante : signalement au parquet {x.AlertId} ({string.Join(", ", x.Matched.Select(m => Fr(m.Criterion)))})."),
        EpisodeClassificationLowered x => new($"Classification lowered to {En(x.Classification)} by the head.", $"Classement abaissé en {Fr(x.Classification)} par la cheffe ou le chef de service."),
        ProsecutorAlertDelivered x => new($"Prosecutor alert delivered ({En(x.Channel)}, attempt {x.Attempts}).", $"Signalement au parquet délivré ({Fr(x.Channel)}, tentative {x.Attempts})."),
        ProsecutorAlertDeliveryFailed x => new($"Prosecutor alert delivery failed ({En(x.Channel)}, attempt {x.Attempt}: {x.Error}).", $"Échec d'envoi du signalement ({Fr(x.Channel)}, tentative {x.Attempt} : {x.Error})."),
        ProsecutorAlertEscalated => new("Prosecutor alert not delivered in time: escalated to the head.", "Signalement non délivré à temps : escalade vers la cheffe ou le chef de service."),
        ProsecutorAlertAcknowledged => new("Prosecutor's office acknowledged the alert.", "Le parquet a accusé réception du signalement."),
        ProsecutorAlertUnacknowledged => new("Prosecutor alert not acknowledged in time.", "Signalement sans accusé de réception dans le délai."),
        FoundNoticeDelivered => new("Found notice delivered to the prosecutor's office.", "Avis de découverte délivré au parquet."),
        ReturnInterviewRecorded x => new($"Return interview held ({x.RevealedIndicators.Count} risk indicators revealed).", $"Entretien de retour tenu ({x.RevealedIndicators.Count} indicateurs de risque révélés)."),
        ReturnInterviewNotHeld => new("Decision not to hold the return interview.", "Décision de ne pas tenir l'entretien de retour."),
        RiskAssessed x => new($"Risk assessed: {En(x.FinalLevel)} (score {x.Score}, suggested {En(x.SuggestedLevel)}).", $"Risque évalué : {Fr(x.FinalLevel)} (score {x.Score}, suggéré : {Fr(x.SuggestedLevel)})."),
        Domain.Reminders.ReminderSnoozed x => new($"Reminder put off until {x.Until:u}: {x.Reason}", $"Relance reportée au {x.Until:u} : {x.Reason}"),
        Domain.Reminders.ReminderOverdue x => new($"Reminder overdue ({En(x.Rule)}).", $"Relance en retard ({Fr(x.Rule)})."),
        Domain.Reminders.ReminderEscalated x => new($"Overdue reminder flagged to the head ({En(x.Rule)}).", $"Relance en retard signalée à la cheffe ou au chef de service ({Fr(x.Rule)})."),
        Domain.Reminders.CaseReviewed => new("Case reviewed by the head.", "Dossier revu par la cheffe ou le chef de service."),
        Domain.Retention.CaseArchived => new("Case left the active base: its personal data were removed.", "Dossier sorti de la base active : ses données personnelles ont été effacées."),
        _ => new(e.GetType().Name, e.GetType().Name),
    };
}
