using System.Text.Json;
using Pare.Cell.Api.Infrastructure.Http;
using Pare.Cell.Domain.Alerts;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Referrals;

namespace Pare.Cell.Api.Alerts;

/// <summary>
/// Webhook bodies, in the Standard Webhooks shape: <c>{"type", "timestamp", "data"}</c>. Ids, times,
/// statuses and the case reference only — never a name — with enum values written as the API's JSON
/// writes them (<c>sent</c>, <c>foundNotice</c>, <c>youngerThan</c>). <c>data.messageId</c> is the
/// <c>webhook-id</c> header's value.
/// </summary>
public static class WebhookPayloads
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary><c>alert.raised</c> (the prosecutor alert) or <c>alert.found</c> (the minor is back).</summary>
    public static string Alert(MessageKind kind, Guid alertId, string caseReference, EpisodeBecameWorrying raised, EpisodeSummary episode,
        Uri? acknowledgementUrl, DateTimeOffset now) =>
        Serialize(kind == MessageKind.FoundNotice ? "alert.found" : "alert.raised", now, new
        {
            messageId = MessageIds.For(alertId, kind),
            alertId,
            kind = EnumNames.Wire(kind),
            caseReference,
            raisedAt = raised.Provenance.RecordedAt,
            lastSeenAt = episode.LastSeenAt,
            returnedAt = episode.ReturnedAt,
            matchedCriteria = raised.Matched.Select(m => EnumNames.Wire(m.Criterion)),
            acknowledgementUrl = acknowledgementUrl?.ToString(),
        });

    /// <summary><c>referral.updated</c>: which referral, its new status and version; the partner reads the rest with its token.</summary>
    public static string ReferralUpdated(Guid messageId, Guid referralId, ReferralStatus status, long version, DateTimeOffset now) =>
        Serialize("referral.updated", now, new
        {
            messageId,
            referralId,
            status = EnumNames.Wire(status),
            version,
            url = $"/api/v1/partner/referrals/{referralId}",
        });

    private static string Serialize(string type, DateTimeOffset timestamp, object data) =>
        JsonSerializer.Serialize(new { type, timestamp, data }, Options);
}
