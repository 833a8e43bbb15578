using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Episodes;

namespace Pare.Cell.Api.Cases.Timeline;

/// <summary>One sentence per kind of fact, in the cell's two languages: what a person reads on the timeline.</summary>
public static class TimelineText
{
    public static Bilingual Describe(ICaseEvent e) => e switch
    {
        CaseOpened => new("Case opened.", "Dossier ouvert."),
        WorkerAssigned => new("Worker assigned.", "Travailleur·se social·e désigné·e."),
        PlacementChanged x => new($"Placement changed ({x.Placement.Kind}).", $"Placement modifié ({x.Placement.Kind})."),
        GuardianContactsUpdated x => new($"Guardian contacts updated ({x.Guardians.Count}).", $"Contacts des responsables légaux mis à jour ({x.Guardians.Count})."),
        MinorProfileUpdated => new("Minor profile updated.", "Fiche de signalement mise à jour."),
        CaseClosed x => new($"Case closed ({x.Reason}).", $"Dossier clos ({x.Reason})."),
        CaseReopened => new("Case reopened.", "Dossier rouvert."),
        RunawayReported x => new($"Runaway reported ({x.Classification}).", $"Fugue signalée ({x.Classification})."),
        EpisodeContactLogged x => new($"Contact with {x.With} by {x.Channel}: {x.Outcome}.", $"Contact avec {x.With} par {x.Channel} : {x.Outcome}."),
        SightingReported => new("Sighting reported.", "Le ou la mineur·e a été aperçu·e."),
        EpisodeInformationAdded => new("New information.", "Nouvelle information."),
        ReturnRecorded x => new($"Return recorded ({x.How}).", $"Retour enregistré ({x.How})."),
        EpisodeClosed => new("Episode closed.", "Épisode clos."),
        EntryCorrected x => x.Times is null
            ? new($"Entry {x.CorrectedVersion} withdrawn as mistaken.", $"Saisie {x.CorrectedVersion} retirée car erronée.")
            : new($"Times of entry {x.CorrectedVersion} corrected.", $"Horaires de la saisie {x.CorrectedVersion} corrigés."),
        _ => new(e.GetType().Name, e.GetType().Name),
    };
}
