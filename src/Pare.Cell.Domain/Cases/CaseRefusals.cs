using Pare.Cell.Domain.Common;

namespace Pare.Cell.Domain.Cases;

/// <summary>The reasons a case command can be declined, in both languages (assessments, reminders and referrals keep theirs beside their deciders).</summary>
public static class CaseRefusals
{
    public static readonly Refusal AlreadyOpened = new("case-already-opened",
        new("This case has already been opened.", "Ce dossier est déjà ouvert."));

    public static readonly Refusal ProbableDuplicate = new("probable-duplicate",
        new("This minor probably has a case already: check the candidates, then open it only if this is another person (confirmDistinct).",
            "Ce ou cette mineur·e a probablement déjà un dossier : vérifiez les dossiers proposés, puis ouvrez-le seulement s'il s'agit d'une autre personne (confirmDistinct)."));

    public static readonly Refusal CaseNotFound = new("case-not-found",
        new("No such case in this cell.", "Aucun dossier de ce type dans cette cellule."), RefusalKind.NotFound);

    public static readonly Refusal CaseIsClosed = new("case-closed",
        new("This case is closed: reopen it first.", "Ce dossier est clos : rouvrez-le d'abord."));

    public static readonly Refusal CaseIsOpen = new("case-open",
        new("This case is already open.", "Ce dossier est déjà ouvert."));

    public static readonly Refusal MinorIsMissing = new("minor-missing",
        new("The minor is missing: record the return before closing the case.", "Le ou la mineur·e est en fugue : enregistrez le retour avant de clore le dossier."));

    public static readonly Refusal EpisodeAlreadyOpen = new("episode-already-open",
        new("A runaway is already in progress for this minor: add to the open episode.", "Une fugue est déjà en cours pour ce ou cette mineur·e : complétez l'épisode ouvert."));

    public static readonly Refusal EpisodeNotFound = new("episode-not-found",
        new("No such episode in this case.", "Aucun épisode de ce type dans ce dossier."), RefusalKind.NotFound);

    public static readonly Refusal EpisodeIsClosed = new("episode-closed",
        new("This episode is closed.", "Cet épisode est clos."));

    public static readonly Refusal AlreadyReturned = new("already-returned",
        new("The return is already recorded for this episode.", "Le retour est déjà enregistré pour cet épisode."));

    public static readonly Refusal NotReturnedYet = new("not-returned",
        new("The minor has not returned: record the return before closing the episode.", "Le ou la mineur·e n'est pas revenu·e : enregistrez le retour avant de clore l'épisode."));

    public static readonly Refusal ReturnBeforeLastSeen = new("return-before-last-seen",
        new("The return cannot be earlier than the last-seen time.", "Le retour ne peut pas précéder l'heure à laquelle le ou la mineur·e a été vu·e pour la dernière fois."));

    public static readonly Refusal PastEpisodeNotOver = new("past-episode-not-over",
        new("A past episode ends before now: report a runaway in progress instead.", "Un épisode passé se termine avant maintenant : signalez plutôt une fugue en cours."),
        RefusalKind.Invalid, "returnedAt");

    public static readonly Refusal EpisodesOverlap = new("episodes-overlap",
        new("This period overlaps another episode of the case.", "Cette période chevauche un autre épisode du dossier."));

    public static readonly Refusal EntryBeforeLastSeen = new("entry-before-last-seen",
        new("This entry is dated before the minor was last seen.", "Cette saisie est datée d'avant la dernière fois où le ou la mineur·e a été vu·e."));

    public static readonly Refusal NothingToCorrect = new("nothing-to-correct",
        new("No entry that can be corrected has this version.", "Aucune saisie corrigeable ne porte cette version."));

    public static readonly Refusal AlreadyCorrected = new("already-corrected",
        new("This entry has already been corrected.", "Cette saisie a déjà été corrigée."));

    public static readonly Refusal TimesDoNotApply = new("times-do-not-apply",
        new("Only a runaway report's last-seen time and a return's time can be amended; withdraw other entries and record them again.",
            "Seules l'heure de dernière vue d'un signalement et l'heure d'un retour peuvent être modifiées ; retirez les autres saisies et ressaisissez-les."),
        RefusalKind.Unprocessable);

    public static readonly Refusal AlertNotFound = new("alert-not-found",
        new("No such alert for this case.", "Aucun signalement de ce type pour ce dossier."), RefusalKind.NotFound);

    public static readonly Refusal AlreadyWorrying = new("already-worrying",
        new("This disappearance is already classified as worrying.", "Cette disparition est déjà classée inquiétante."));

    public static readonly Refusal NotWorrying = new("not-worrying",
        new("This episode is not classified as a worrying disappearance.", "Cet épisode n'est pas classé en disparition inquiétante."));

    public static readonly Refusal NotALowerClassification = new("not-lower",
        new("Choose a lower classification: unauthorised absence or runaway.", "Choisissez un classement inférieur : sortie non autorisée ou fugue."),
        RefusalKind.Unprocessable);

    public static readonly Refusal EpisodeNotOpen = new("episode-not-open",
        new("The minor is no longer missing in this episode.", "Le ou la mineur·e n'est plus en fugue dans cet épisode."));

    public static readonly Refusal ConcurrentChange = new("concurrent-change",
        new("Someone changed this case at the same moment: read it again and retry.", "Quelqu'un a modifié ce dossier au même moment : relisez-le et réessayez."));
}
