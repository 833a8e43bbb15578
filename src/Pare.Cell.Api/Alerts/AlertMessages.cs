using System.Globalization;
using System.Text;
using System.Text.Json;
using Marten;
using MimeKit;
using Microsoft.Extensions.Options;
using Pare.Cell.Api.Policies;
using Pare.Cell.Domain.Alerts;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Episodes;
using Pare.Cell.Domain.Policies;

namespace Pare.Cell.Api.Alerts;

/// <summary>One message ready to leave: the e-mail and, when the cell has one, the webhook payload.</summary>
public sealed record ComposedMessage(MimeMessage? Email, string WebhookJson, AlertRouting Routing, string MessageId);

/// <summary>
/// Composes an alert, a found notice or an escalation from the case as it is when the message
/// leaves (the current profile, not the one at report time). The e-mail goes to the prosecutor's
/// office and carries the minor's description; the webhook payload carries ids and the case
/// reference only. Written in French: the recipients are French services.
/// </summary>
public sealed class AlertMessages(IDocumentStore store, AlertLinks links, IOptions<AlertSettings> settings)
{
    public async Task<ComposedMessage> ComposeAsync(string cellId, Guid caseId, Guid alertId, MessageKind kind, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession(cellId);
        var events = await session.Events.FetchStreamAsync(caseId, token: cancellationToken);
        var state = await session.LoadAsync<Case>(caseId, cancellationToken) ?? throw new InvalidOperationException($"Case {caseId} not found in its cell.");
        var policy = await CellPolicies.LoadAsync(session, cancellationToken);
        var raised = events.Select(e => e.Data).OfType<EpisodeBecameWorrying>().Single(e => e.AlertId == alertId);
        var report = events.Select(e => e.Data).OfType<RunawayReported>().Single(e => e.EpisodeId == raised.EpisodeId);
        var episode = state.Episode(raised.EpisodeId)!;
        var ackLink = links.For(cellId, caseId, alertId);
        var messageId = $"{KindTag(kind)}-{alertId}@pare-cell";

        var recipient = kind == MessageKind.Escalation ? policy.Routing.HeadEmail : policy.Routing.ProsecutorEmail;
        MimeMessage? email = null;
        if (!string.IsNullOrWhiteSpace(recipient))
        {
            email = new MimeMessage { MessageId = messageId, Subject = Subject(kind, state) };
            email.From.Add(MailboxAddress.Parse(settings.Value.From));
            email.To.Add(Mailboxes.Parse(recipient));
            email.Headers.Add("X-Pare-Alert-Id", alertId.ToString());
            email.Headers.Add("X-Pare-Message-Kind", kind.ToString());
            if (kind != MessageKind.Alert)
            {
                email.InReplyTo = $"alert-{alertId}@pare-cell";
                email.References.Add($"alert-{alertId}@pare-cell");
            }
            email.Body = new TextPart("plain") { Text = Body(kind, state, report, episode, raised, policy.Routing, ackLink) };
        }

        var webhook = JsonSerializer.Serialize(new
        {
            alertId,
            messageId,
            kind = kind.ToString(),
            caseReference = state.Reference,
            raisedAt = raised.Provenance.RecordedAt,
            lastSeenAt = episode.LastSeenAt,
            returnedAt = episode.ReturnedAt,
            matchedCriteria = raised.Matched.Select(m => m.Criterion.ToString()),
            acknowledgementUrl = kind == MessageKind.Alert ? ackLink.ToString() : null,
        });
        return new ComposedMessage(email, webhook, policy.Routing, messageId);
    }

    private static string KindTag(MessageKind kind) => kind switch
    {
        MessageKind.Alert => "alert",
        MessageKind.FoundNotice => "found",
        _ => "escalation",
    };

    private static string Subject(MessageKind kind, Case state) => kind switch
    {
        MessageKind.Alert => $"[Pare.Cell] Disparition inquiétante d'un·e mineur·e — dossier {state.Reference}",
        MessageKind.FoundNotice => $"[Pare.Cell] Mineur·e retrouvé·e — dossier {state.Reference}",
        _ => $"[Pare.Cell] ESCALADE : signalement au parquet non délivré — dossier {state.Reference}",
    };

    private static string Body(MessageKind kind, Case state, RunawayReported report, EpisodeSummary episode, EpisodeBecameWorrying raised, AlertRouting routing, Uri ackLink)
    {
        var fr = CultureInfo.GetCultureInfo("fr-FR");
        string At(DateTimeOffset t) => t.ToString("dddd d MMMM yyyy 'à' HH:mm 'UTC'", fr);
        var b = new StringBuilder();
        if (kind == MessageKind.FoundNotice)
        {
            b.AppendLine($"Le ou la mineur·e objet du signalement {raised.AlertId} (dossier {state.Reference}) a été retrouvé·e.");
            if (episode.ReturnedAt is { } back) b.AppendLine($"Retour : {At(back)}.");
            AppendContacts(b, state, routing);
            return b.ToString();
        }
        if (kind == MessageKind.Escalation)
        {
            b.AppendLine($"Le signalement au parquet {raised.AlertId} (dossier {state.Reference}) n'a pas pu être délivré dans le délai de {routing.DeliveryDeadlineMinutes} minutes.");
            b.AppendLine("Les tentatives continuent. Contactez le parquet de permanence par téléphone.");
            return b.ToString();
        }

        var minor = state.Minor;
        var profile = state.Profile;
        b.AppendLine("SIGNALEMENT DE DISPARITION INQUIÉTANTE D'UN·E MINEUR·E (art. 74-1 CPP)");
        b.AppendLine($"Référence du signalement : {raised.AlertId}");
        b.AppendLine($"Dossier : {state.Reference}");
        b.AppendLine();
        b.AppendLine($"Mineur·e : {minor.FirstName} {minor.LastName}, né·e le {minor.DateOfBirth.ToString("d MMMM yyyy", fr)} ({minor.AgeOn(DateOnly.FromDateTime(raised.Provenance.RecordedAt.UtcDateTime))} ans)");
        b.AppendLine($"Placement : {state.Placement.Kind}{(state.Placement.Establishment is { } est ? $" — {est}" : "")}");
        b.AppendLine();
        b.AppendLine($"Vu·e pour la dernière fois : {At(episode.LastSeenAt)}, {episode.LastSeenPlace}");
        if (report.Clothing is { } clothing) b.AppendLine($"Tenue : {clothing}");
        if (report.Companions is { } companions) b.AppendLine($"Accompagné·e de : {companions}");
        if (report.DestinationHints is { } hints) b.AppendLine($"Pistes : {hints}");
        if (report.Circumstances is { } circumstances) b.AppendLine($"Circonstances : {circumstances}");
        b.AppendLine();
        b.AppendLine("Critères de disparition inquiétante retenus :");
        foreach (var m in raised.Matched) b.AppendLine($"  - {m.Criterion} : {m.Detail}");
        b.AppendLine();
        b.AppendLine("Fiche de signalement :");
        if (profile.Description is { } d)
            b.AppendLine($"  Description : {d.HeightCm?.ToString(fr) ?? "?"} cm, corpulence {d.Build}, cheveux {d.Hair}, yeux {d.Eyes}. Signes particuliers : {d.DistinguishingMarks}");
        if (profile.PhotoReference is { } photo) b.AppendLine($"  Photo : {photo}");
        if (profile.Phones.Count > 0) b.AppendLine($"  Téléphones : {string.Join(", ", profile.Phones)}");
        if (profile.SocialMedia.Count > 0) b.AppendLine($"  Réseaux sociaux : {string.Join(", ", profile.SocialMedia.Select(s => $"{s.Platform} {s.Handle}"))}");
        if (profile.Associates.Count > 0) b.AppendLine($"  Fréquentations : {string.Join("; ", profile.Associates.Select(a => $"{a.Name} ({a.Relationship})"))}");
        if (profile.PlacesFrequented.Count > 0) b.AppendLine($"  Lieux fréquentés : {string.Join(", ", profile.PlacesFrequented)}");
        if (profile.Health is { } h)
            b.AppendLine($"  Santé : {h.MedicalNeeds}{(h.TakesMedication ? " — sous traitement" : "")}{(h.Disability is { } dis ? $" — handicap : {dis}" : "")}{(h.SelfHarmRisk ? " — risque suicidaire ou d'automutilation" : "")}");
        AppendContacts(b, state, routing);
        b.AppendLine();
        b.AppendLine($"Accuser réception (sans compte) : {ackLink}");
        return b.ToString();
    }

    private static void AppendContacts(StringBuilder b, Case state, AlertRouting routing)
    {
        b.AppendLine();
        b.AppendLine($"Travailleur·se social·e référent·e : {state.AssignedWorkerId}");
        if (routing.OnCall is { } onCall)
            b.AppendLine($"Astreinte de la cellule : {onCall.Name}, {onCall.Phone}{(onCall.Email is { } mail ? $", {mail}" : "")}");
    }
}
