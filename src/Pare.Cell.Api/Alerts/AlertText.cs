using Pare.Cell.Domain.Alerts;
using Pare.Cell.Domain.Assessments;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Episodes;
using Pare.Cell.Domain.Policies;

namespace Pare.Cell.Api.Alerts;

/// <summary>A member of the cell as a message names them: who, and how to reach them.</summary>
public sealed record StaffContact(string Id, string Name, string? Phone, string? Email);

/// <summary>The case's worker as the message shows them: reachable with their contact, or no longer.</summary>
/// <param name="Contact">Null when the directory does not know them (never signed in since it exists).</param>
public sealed record Referent(string Id, StaffContact? Contact, bool Deactivated);

/// <summary>Everything an alert, a found notice or an escalation says, gathered from the case when it leaves.</summary>
public sealed record AlertContent
{
    public required MessageKind Kind { get; init; }
    public required Guid AlertId { get; init; }
    public required string CaseReference { get; init; }
    public required MinorIdentity Minor { get; init; }
    public required Placement Placement { get; init; }
    public required MinorProfile Profile { get; init; }
    public RiskLevel? RiskLevel { get; init; }
    public required RunawayReported Report { get; init; }
    public required EpisodeSummary Episode { get; init; }
    public required EpisodeBecameWorrying Raised { get; init; }
    public required Referent Referent { get; init; }
    /// <summary>The person on call at the moment the message leaves, from the rota.</summary>
    public StaffContact? OnCall { get; init; }
    /// <summary>The cell's own on-call line, from its alert routing.</summary>
    public OnCallContact? CellLine { get; init; }
    public Uri? AcknowledgementLink { get; init; }
    public int DeliveryDeadlineMinutes { get; init; }
    /// <summary>When the message is composed: durations are counted to it.</summary>
    public required DateTimeOffset ComposedAt { get; init; }
}

/// <summary>
/// The words of each message, essentials first: who is missing, since when, where last seen, why it
/// is worrying, whom to call now; then the acknowledgement link, the episode, the whole profile, the
/// references. French, Paris times with their offset, a French word for every value. Pure.
/// </summary>
public static class AlertText
{
    public static MessageDocument Compose(AlertContent c) => c.Kind switch
    {
        MessageKind.Alert => Alert(c),
        MessageKind.FoundNotice => Found(c),
        _ => Escalation(c),
    };

    public static string Subject(MessageKind kind, string caseReference) => kind switch
    {
        MessageKind.Alert => $"[Pare.Cell] Disparition inquiétante d'un·e mineur·e — dossier {caseReference}",
        MessageKind.FoundNotice => $"[Pare.Cell] Mineur·e retrouvé·e — dossier {caseReference}",
        _ => $"[Pare.Cell] ESCALADE : signalement au parquet non délivré — dossier {caseReference}",
    };

    private static MessageDocument Alert(AlertContent c)
    {
        var document = new MessageDocument(Subject(c.Kind, c.CaseReference), "Disparition inquiétante d'un·e mineur·e",
            $"Signalement au parquet (article 74-1 du code de procédure pénale) — dossier {c.CaseReference}.");
        document.Add("L'essentiel")
            .Line("Qui", Who(c))
            .Line("Disparu·e depuis", $"{InFrench.Time(c.Episode.LastSeenAt)}, soit {InFrench.Duration(c.Episode.MissingFor(c.ComposedAt))} à l'envoi de ce message")
            .Line("Vu·e pour la dernière fois à", c.Episode.LastSeenPlace)
            .List("Pourquoi c'est inquiétant", c.Raised.Matched.Select(m => InFrench.Criterion(m, c.RiskLevel)))
            .List("Qui appeler maintenant", WhoToCall(c));
        document.Add("Accusé de réception")
            .Link("Accuser réception, sans compte", c.AcknowledgementLink);
        document.Add("La disparition")
            .Line("Tenue", c.Report.Clothing)
            .Line("Accompagné·e de", c.Report.Companions)
            .Line("Pistes", c.Report.DestinationHints)
            .Line("Circonstances", c.Report.Circumstances);
        Profile(document.Add("Fiche de signalement"), c);
        References(document, c);
        return document.InEnglish($"Pare.Cell: a minor's worrying disappearance reported to the prosecutor's office, case {c.CaseReference}. Details above, in French.");
    }

    private static MessageDocument Found(AlertContent c)
    {
        var document = new MessageDocument(Subject(c.Kind, c.CaseReference), "Mineur·e retrouvé·e",
            $"Fin de la disparition inquiétante signalée au parquet — dossier {c.CaseReference}.");
        document.Add("L'essentiel")
            .Line("Qui", Who(c))
            .Line("Retrouvé·e le", c.Episode.ReturnedAt is { } back ? InFrench.Time(back) : null)
            .Line("Comment", c.Episode.ReturnMode is { } how ? InFrench.Return(how) : null)
            .Line("Disparu·e depuis le", InFrench.Time(c.Episode.LastSeenAt))
            .Line("Durée de la disparition", InFrench.Duration(c.Episode.MissingFor(c.ComposedAt)))
            .List("Qui appeler", WhoToCall(c));
        References(document, c);
        return document.InEnglish($"Pare.Cell: the minor of the alert about case {c.CaseReference} has been found.");
    }

    /// <summary>For the head and the person on call: ids and whom to call, never the minor's data.</summary>
    private static MessageDocument Escalation(AlertContent c)
    {
        var document = new MessageDocument(Subject(c.Kind, c.CaseReference), "Escalade : signalement au parquet non délivré",
            $"Le signalement au parquet du dossier {c.CaseReference} n'a pas pu être délivré dans le délai de {c.DeliveryDeadlineMinutes} minutes.");
        document.Add("À faire maintenant")
            .Line("Appeler le parquet de permanence", "transmettez-lui le signalement par téléphone (le dossier est dans Pare.Cell) ; les envois automatiques continuent")
            .List("Qui est joignable à la cellule", WhoToCall(c));
        References(document, c);
        return document.InEnglish($"Pare.Cell: the prosecutor alert about case {c.CaseReference} could not be delivered in time. Call the prosecutor's office.");
    }

    private static string Who(AlertContent c)
    {
        var minor = c.Minor;
        var age = minor.AgeOn(DateOnly.FromDateTime(Domain.Common.CellTime.ToLocal(c.Raised.Provenance.RecordedAt).DateTime));
        var aliases = c.Profile.Aliases.Count > 0 ? $" (se fait appeler {string.Join(", ", c.Profile.Aliases)})" : "";
        return $"{minor.FirstName} {minor.LastName.ToUpper(InFrench.Culture)}{aliases}, né·e le {InFrench.Date(minor.DateOfBirth)} ({age} ans)";
    }

    /// <summary>The person on call first (they answer now), then the case's worker, then the cell's line.</summary>
    private static IEnumerable<string?> WhoToCall(AlertContent c)
    {
        if (c.OnCall is { } onCall) yield return $"personne d'astreinte : {Reach(onCall.Name, onCall.Phone, onCall.Email)}";
        yield return c.Referent switch
        {
            { Deactivated: true } => "travailleur·se social·e référent·e : personne de joignable (compte désactivé), appelez l'astreinte",
            { Contact: { } worker } => $"travailleur·se social·e référent·e : {Reach(worker.Name, worker.Phone, worker.Email)}",
            var unknown => $"travailleur·se social·e référent·e : {unknown.Id} (coordonnées non renseignées)",
        };
        if (c.CellLine is { } line) yield return $"ligne d'astreinte de la cellule : {Reach(line.Name, line.Phone, line.Email)}";
    }

    private static string Reach(string name, string? phone, string? email) =>
        string.Join(", ", new[] { name, phone ?? "téléphone non renseigné", email }.Where(p => !string.IsNullOrWhiteSpace(p)));

    private static void Profile(MessageDocument.Section section, AlertContent c)
    {
        var profile = c.Profile;
        var description = profile.Description;
        var health = profile.Health;
        section
            .Line("Placement", c.Placement.Establishment is { } place ? $"{InFrench.Placement(c.Placement.Kind)} — {place}" : InFrench.Placement(c.Placement.Kind))
            .Line("Risque prostitutionnel", c.RiskLevel is { } risk ? InFrench.Risk(risk) : null)
            .Line("Taille", description?.HeightCm is { } cm ? $"{(cm / 100m).ToString("0.00", InFrench.Culture)} m" : null)
            .Line("Corpulence", description?.Build)
            .Line("Cheveux", description?.Hair)
            .Line("Yeux", description?.Eyes)
            .Line("Signes particuliers", description?.DistinguishingMarks)
            .Line("Photo", profile.PhotoReference)
            .List("Téléphones", profile.Phones)
            .List("Réseaux sociaux", profile.SocialMedia.Select(s => $"{s.Platform} : {s.Handle}"))
            .List("Fréquentations", profile.Associates.Select(a => a.Note is { } note ? $"{a.Name} ({a.Relationship}) — {note}" : $"{a.Name} ({a.Relationship})"))
            .List("Lieux fréquentés", profile.PlacesFrequented)
            .List("Santé", health is null ? [] :
            [
                health.MedicalNeeds,
                health.TakesMedication ? "sous traitement médical" : null,
                health.Disability is { } disability ? $"handicap : {disability}" : null,
                health.SelfHarmRisk ? "risque suicidaire ou d'automutilation" : null,
            ]);
    }

    private static void References(MessageDocument document, AlertContent c) =>
        document.Add("Références")
            .Line("Signalement", c.AlertId.ToString())
            .Line("Émis le", InFrench.Time(c.Raised.Provenance.RecordedAt))
            .Line("Dossier", c.CaseReference);
}
