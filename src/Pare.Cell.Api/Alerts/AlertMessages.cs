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

/// <summary>One message ready to leave: the e-mail and, when the cell has one, the webhook payload; ids from <see cref="MessageIds"/>.</summary>
public sealed record ComposedMessage(MimeMessage? Email, string WebhookJson, AlertRouting Routing, Guid MessageId);

/// <summary>
/// Composes an alert, a found notice or an escalation from the case as it is when the message
/// leaves (the current profile, not the one at report time). The e-mail goes to the prosecutor's
/// office and carries the minor's description, as a plain-text part and an HTML part that say the
/// same (<see cref="AlertText"/>); the webhook payload carries ids and the case reference only.
/// </summary>
public sealed class AlertMessages(
    IDocumentStore store, AlertLinks links, IOptions<AlertSettings> settings, TimeProvider clock, Photos.PhotoStore photos,
    Staff.StaffDirectory directory, OnCall.OnCallDuty duty)
{
    public async Task<ComposedMessage> ComposeAsync(string cellId, Guid caseId, Guid alertId, MessageKind kind, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession(cellId);
        var events = await session.Events.FetchStreamAsync(caseId, token: cancellationToken);
        var state = await session.LoadAsync<Case>(caseId, cancellationToken) ?? throw new InvalidOperationException($"Case {caseId} not found in its cell.");
        var policy = await CellPolicies.LoadAsync(session, cancellationToken);
        var raised = events.Select(e => e.Data).OfType<EpisodeBecameWorrying>().Single(e => e.AlertId == alertId);
        var report = events.Select(e => e.Data).OfType<RunawayReported>().Single(e => e.EpisodeId == raised.EpisodeId);
        var ackLink = links.For(cellId, caseId, alertId);
        var now = clock.GetUtcNow();
        // Who answers now, when the message leaves (a retry names whoever has taken over since); only
        // these two people's contacts leave with it, never the rest of the directory.
        var onCall = (await duty.ReadAsync(session, cancellationToken)).At(now);
        var worker = await directory.FindAsync(cellId, state.AssignedWorkerId, cancellationToken);
        var content = new AlertContent
        {
            Kind = kind,
            AlertId = alertId,
            CaseReference = state.Reference,
            Minor = state.Minor,
            Placement = state.Placement,
            Profile = state.Profile,
            RiskLevel = state.RiskLevel,
            Report = report,
            Episode = state.Episode(raised.EpisodeId)!,
            Raised = raised,
            Referent = new Referent(state.AssignedWorkerId, worker?.ToContact(),
                Deactivated: state.AssignedWorkerDeactivatedAt is not null || worker is { Active: false }),
            OnCall = onCall?.ToContact(),
            CellLine = policy.Routing.OnCall,
            AcknowledgementLink = kind == MessageKind.Alert ? ackLink : null,
            DeliveryDeadlineMinutes = policy.Routing.DeliveryDeadlineMinutes,
            ComposedAt = now,
        };

        var recipients = Recipients(kind, policy.Routing, onCall);
        MimeMessage? email = null;
        if (recipients.Count > 0)
        {
            var document = AlertText.Compose(content);
            email = new MimeMessage { Subject = document.Subject };
            email.From.Add(MailboxAddress.Parse(settings.Value.From));
            email.To.AddRange(recipients);
            MessageIds.Stamp(email, alertId, kind);
            // Attachments (the profile's photo) join the two alternative parts here.
            var body = new BodyBuilder { TextBody = document.ToText(), HtmlBody = document.ToHtml() };
            await AttachPhotoAsync(body, cellId, state, kind, cancellationToken);
            email.Body = body.ToMessageBody();
        }

        var webhook = WebhookPayloads.Alert(kind, alertId, state.Reference, raised, content.Episode,
            kind == MessageKind.Alert ? ackLink : null, now);
        return new ComposedMessage(email, webhook, policy.Routing, MessageIds.For(alertId, kind));
    }

    /// <summary>
    /// The alert and its found notice go to the prosecutor's office; an escalation goes to the head
    /// and to the person on call (one e-mail, both in To). The head's address was checked when the
    /// routing was saved; a person on call's unusable address never holds the head's copy back.
    /// </summary>
    private static List<MailboxAddress> Recipients(MessageKind kind, AlertRouting routing, Staff.StaffMember? onCall)
    {
        if (kind != MessageKind.Escalation)
            return string.IsNullOrWhiteSpace(routing.ProsecutorEmail) ? [] : [Mailboxes.Parse(routing.ProsecutorEmail)];
        var recipients = new List<MailboxAddress>();
        if (!string.IsNullOrWhiteSpace(routing.HeadEmail)) recipients.Add(Mailboxes.Parse(routing.HeadEmail));
        if (onCall?.Email is { } address && Mailboxes.TryParse(address, out var mailbox)
            && !recipients.Any(r => string.Equals(r.Address, mailbox.Address, StringComparison.OrdinalIgnoreCase)))
            recipients.Add(mailbox);
        return recipients;
    }

    /// <summary>The alert carries the profile's current photo (re-encoded at upload, no metadata); reading it for the prosecutor is journaled.</summary>
    private async Task AttachPhotoAsync(BodyBuilder body, string cellId, Case state, MessageKind kind, CancellationToken cancellationToken)
    {
        if (kind != MessageKind.Alert || state.Profile.Photo is not { } photo) return;
        var jpeg = await photos.ReadAsync(cellId, state.Id, photo.Id, thumbnail: false, "system:prosecutor-alert",
            Infrastructure.Database.JournalActions.AlertPhoto, cancellationToken);
        if (jpeg is not null) body.Attachments.Add($"photo-{state.Reference}.jpg", jpeg, new ContentType("image", "jpeg"));
    }
}
