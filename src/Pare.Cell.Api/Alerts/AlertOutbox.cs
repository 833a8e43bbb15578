using Marten;
using Pare.Cell.Domain.Alerts;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Episodes;
using Pare.Cell.Domain.Policies;

namespace Pare.Cell.Api.Alerts;

/// <summary>
/// Why an alert is never lost: the message to send is a row written in the same transaction as
/// the event that makes the episode worrying. Commit → both exist; no commit → neither. A
/// <c>pg_notify</c> in that transaction wakes the dispatcher within milliseconds of the commit,
/// in whichever process runs it; a periodic sweep of the same table covers every crash window
/// (killed before, during or after sending: the row stays undelivered until a send succeeds).
/// <para>
/// One row per alert, message kind and channel (primary key), so enlisting twice is harmless.
/// Rows hold ids only; the message is composed from the case when it is sent.
/// </para>
/// </summary>
public sealed class AlertOutbox(TimeProvider clock)
{
    public const string Channel = "pare_alert_outbox";

    public const string Schema = """
        create schema if not exists pare;
        create table if not exists pare.alert_outbox (
            alert_id        uuid        not null,
            kind            text        not null,
            channel         text        not null,
            cell_id         text        not null,
            case_id         uuid        not null,
            created_at      timestamptz not null,
            next_attempt_at timestamptz not null,
            attempts        int         not null default 0,
            delivered_at    timestamptz,
            last_error      text,
            followed_up     boolean     not null default false,
            primary key (alert_id, kind, channel)
        );
        create index if not exists alert_outbox_due on pare.alert_outbox (next_attempt_at) where delivered_at is null;
        -- The claimer's lease (database time): no lock is held while a message is sent.
        alter table pare.alert_outbox add column if not exists leased_by uuid;
        alter table pare.alert_outbox add column if not exists leased_until timestamptz;
        -- A partner's webhook given up on after Alerts:PartnerWebhookRetryFor; last_error says why.
        alter table pare.alert_outbox add column if not exists dead_at timestamptz;
        """;

    public void Enlist(IDocumentSession session, Case before, IReadOnlyList<ICaseEvent> events, AlertRouting? routing)
    {
        var rows = new List<(Guid AlertId, MessageKind Kind)>();
        foreach (var e in events)
        {
            if (e is EpisodeBecameWorrying worrying) rows.Add((worrying.AlertId, MessageKind.Alert));
            if (e is ProsecutorAlertEscalated escalated) rows.Add((escalated.AlertId, MessageKind.Escalation));
            if (e is ReturnRecorded returned)
                rows.AddRange(before.Alerts.Where(a => a.EpisodeId == returned.EpisodeId).Select(a => (a.AlertId, MessageKind.FoundNotice)));
        }
        foreach (var (alertId, kind) in rows) Enqueue(session, alertId, kind, before.Id, routing);
    }

    /// <summary>A signed webhook to the partner of a referral that changed: ids and status only.</summary>
    public void EnqueueReferralUpdate(IDocumentSession session, Guid messageId, Guid referralId) =>
        Queue(session, messageId, MessageKind.ReferralUpdate, [AlertChannel.Webhook], referralId);

    /// <summary>Queues the rows (and the wake-up) into the session's transaction.</summary>
    public void Enqueue(IDocumentSession session, Guid alertId, MessageKind kind, Guid caseId, AlertRouting? routing) =>
        Queue(session, alertId, kind, routing?.WebhookUrl is null || kind == MessageKind.Escalation ? [AlertChannel.Email] : [AlertChannel.Email, AlertChannel.Webhook], caseId);

    private void Queue(IDocumentSession session, Guid messageId, MessageKind kind, AlertChannel[] channels, Guid subjectId)
    {
        var now = clock.GetUtcNow();
        foreach (var channel in channels)
            session.QueueSqlCommand(
                "insert into pare.alert_outbox (alert_id, kind, channel, cell_id, case_id, created_at, next_attempt_at) values (?, ?, ?, ?, ?, ?, ?) on conflict do nothing",
                messageId, kind.ToString(), channel.ToString(), session.TenantId, subjectId, now, now);
        session.QueueSqlCommand($"notify {Channel}"); // delivered to listeners only if the transaction commits
    }
}

public enum MessageKind
{
    /// <summary>The prosecutor alert itself.</summary>
    Alert,
    /// <summary>"The minor has been found", to the same recipient.</summary>
    FoundNotice,
    /// <summary>To the service head: the alert was not delivered in time.</summary>
    Escalation,
    /// <summary>To a partner's webhook: one of its referrals changed (the row's case_id is the referral id).</summary>
    ReferralUpdate,
}
