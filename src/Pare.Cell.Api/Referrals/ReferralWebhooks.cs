using System.Text.Json;
using Marten;
using Pare.Cell.Api.Alerts;
using Pare.Cell.Api.Partners;
using Pare.Cell.Domain.Referrals;

namespace Pare.Cell.Api.Referrals;

/// <summary>
/// What a partner's webhook receives when one of its referrals changes: the referral id, its new
/// status and when — no personal data at all; the partner reads what the referral shares through
/// the API with its own token. Signed like the prosecutor webhook (see <see cref="WebhookSender"/>).
/// </summary>
public sealed class ReferralWebhooks(IDocumentStore store, TimeProvider clock)
{
    public sealed record Update(Uri Url, string Secret, string Json);

    public async Task<Update> ComposeAsync(string cellId, Guid referralId, Guid messageId, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession(cellId);
        var referral = await session.LoadAsync<Referral>(referralId, cancellationToken) ?? throw new DeliveryException("referral not found");
        var partner = await session.LoadAsync<Partner>(referral.PartnerId, cancellationToken);
        if (partner?.WebhookUrl is not { } url || partner.WebhookSecret is not { } secret) throw new DeliveryException("no webhook configured");
        var json = WebhookPayloads.ReferralUpdated(messageId, referralId, referral.Status, referral.Version, clock.GetUtcNow());
        return new Update(new Uri(url), secret, json);
    }
}
