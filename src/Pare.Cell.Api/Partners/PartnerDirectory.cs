using FluentValidation;
using JasperFx;
using Marten;
using Mediator;
using Npgsql;
using Pare.Cell.Api.Infrastructure.Http;
using Pare.Cell.Api.Infrastructure.Messaging;
using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Referrals;

namespace Pare.Cell.Api.Partners;

/// <summary>
/// A partner organisation in the cell's directory. <see cref="Revision"/> counts its saves (the
/// ETag): a replacement names the revision it read (If-Match), so two heads editing the same
/// partner at once cannot overwrite each other unknowingly. Partners saved before revisions were
/// kept read as revision 0.
/// </summary>
public sealed class Partner
{
    public Guid Id { get; set; }
    public long Revision { get; set; }
    public string Name { get; set; } = "";
    public PartnerType Type { get; set; }
    public List<PartnerContact> Contacts { get; set; } = [];
    public string? WebhookUrl { get; set; }
    public string? WebhookSecret { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed record PartnerContact(string Name, string? Role, string? Phone, string? Email);

/// <summary>A partner as shown: the webhook secret never leaves.</summary>
public sealed record PartnerView(Guid Id, string Name, PartnerType Type, IReadOnlyList<PartnerContact> Contacts, string? WebhookUrl, bool HasWebhookSecret)
{
    public static PartnerView Of(Partner p) => new(p.Id, p.Name, p.Type, p.Contacts, p.WebhookUrl, !string.IsNullOrEmpty(p.WebhookSecret));
}

/// <summary>Create or replace a partner (head, admin). With a webhook URL, a Standard Webhooks secret (<c>whsec_…</c>) signs the calls.</summary>
public sealed record SavePartner(string? Name, PartnerType? Type, IReadOnlyList<PartnerContact>? Contacts, string? WebhookUrl, string? WebhookSecret)
    : ICommand<SavedPartner>
{
    [System.Text.Json.Serialization.JsonIgnore] public Guid? PartnerId { get; init; }

    /// <summary>On a replacement, the revision read (If-Match): another one is a 412.</summary>
    [System.Text.Json.Serialization.JsonIgnore] public long? ExpectedRevision { get; init; }
}

/// <summary>A partner as saved, and its new revision (the ETag).</summary>
public sealed record SavedPartner(PartnerView View, long Revision);

public sealed class SavePartnerValidator : AbstractValidator<SavePartner>
{
    public SavePartnerValidator(OutboundPolicy outbound)
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Type).NotEmpty().IsInEnum();
        RuleFor(r => r.Contacts).MaximumCount(20);
        RuleForEach(r => r.Contacts).NotNull().ChildRules(c =>
        {
            c.RuleFor(x => x.Name).NotEmpty().MaximumLength(200);
            c.RuleFor(x => x.Email).Mailbox();
            c.RuleFor(x => x.Role).MaximumLength(200);
            c.RuleFor(x => x.Phone).MaximumLength(40);
        });
        RuleFor(r => r.WebhookUrl).WebhookUrl(outbound);
        RuleFor(r => r.WebhookSecret).MaximumLength(200);
        RuleFor(r => r.WebhookSecret).NotEmpty().WebhookSecret().When(r => r.WebhookUrl is not null, "`webhookUrl` is set");
    }
}

public sealed class SavePartnerHandler(IDocumentSession session, TimeProvider clock, Idempotency idempotency) : ICommandHandler<SavePartner, SavedPartner>
{
    public async ValueTask<SavedPartner> Handle(SavePartner r, CancellationToken cancellationToken)
    {
        var partner = r.PartnerId is { } id
            ? await LoadForReplacementAsync(id, r.ExpectedRevision, cancellationToken)
            : new Partner { Id = Guid.CreateVersion7(clock.GetUtcNow()), CreatedAt = clock.GetUtcNow() };
        partner.Revision++;
        partner.Name = r.Name!.Trim();
        partner.Type = r.Type!.Value;
        partner.Contacts = [.. r.Contacts ?? []];
        partner.WebhookUrl = r.WebhookUrl;
        partner.WebhookSecret = r.WebhookUrl is null ? null : r.WebhookSecret;
        session.Store(partner);
        idempotency.Enlist(session);
        await session.SaveChangesAsync(cancellationToken);
        return new SavedPartner(PartnerView.Of(partner), partner.Revision);
    }

    /// <summary>
    /// Replacements of one partner take turns (a transaction-scoped advisory lock on its id), so
    /// the revision read here is the latest: a stale If-Match is a 412 before anything is written.
    /// </summary>
    private async Task<Partner> LoadForReplacementAsync(Guid id, long? expectedRevision, CancellationToken cancellationToken)
    {
        await session.BeginTransactionAsync(cancellationToken);
        await using (var turn = new NpgsqlCommand("select pg_advisory_xact_lock(hashtextextended($1, 0))", session.Connection))
        {
            turn.Parameters.Add(new() { Value = $"partner:{id}" });
            await turn.ExecuteNonQueryAsync(cancellationToken);
        }
        var partner = await session.LoadAsync<Partner>(id, cancellationToken) ?? throw new Domain.Common.RefusedException(PartnerRefusals.NotFound);
        return expectedRevision is { } expected && expected != partner.Revision
            ? throw new PreconditionFailedException(partner.Revision)
            : partner;
    }
}

public static class PartnerRefusals
{
    public static readonly Domain.Common.Refusal NotFound = new("partner-not-found",
        new("No such partner in this cell.", "Aucun partenaire de ce type dans cette cellule."), Domain.Common.RefusalKind.NotFound);
}
