using FluentValidation;
using Marten;
using Mediator;
using Pare.Cell.Api.Infrastructure.Http;
using Pare.Cell.Domain.Common;
using Pare.Cell.Domain.Referrals;

namespace Pare.Cell.Api.Partners;

/// <summary>A partner organisation in the cell's directory.</summary>
public sealed class Partner
{
    public Guid Id { get; set; }
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

/// <summary>Create or replace a partner (head, admin). With a webhook URL, a secret of 16+ characters signs the calls.</summary>
public sealed record SavePartner(string? Name, PartnerType? Type, IReadOnlyList<PartnerContact>? Contacts, string? WebhookUrl, string? WebhookSecret)
    : ICommand<PartnerView>
{
    [System.Text.Json.Serialization.JsonIgnore] public Guid? PartnerId { get; init; }
}

public sealed class SavePartnerValidator : AbstractValidator<SavePartner>
{
    public SavePartnerValidator()
    {
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Type).NotEmpty().IsInEnum();
        RuleFor(r => r.Contacts).Must(c => c is null || c.Count <= 20);
        RuleForEach(r => r.Contacts).NotNull().ChildRules(c =>
        {
            c.RuleFor(x => x.Name).NotEmpty().MaximumLength(200);
            c.RuleFor(x => x.Email).EmailAddress().MaximumLength(200);
            c.RuleFor(x => x.Phone).MaximumLength(40);
        });
        RuleFor(r => r.WebhookUrl).Must(u => Uri.TryCreate(u, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
            .When(r => r.WebhookUrl is not null).WithMessage(_ => new Bilingual("Use an absolute https:// URL (http:// only on loopback).", "Indiquez une URL https:// absolue (http:// seulement en boucle locale).").ToString());
        RuleFor(r => r.WebhookSecret).NotEmpty().MinimumLength(16).MaximumLength(200).When(r => r.WebhookUrl is not null);
    }
}

public sealed class SavePartnerHandler(IDocumentSession session, TimeProvider clock, Idempotency idempotency) : ICommandHandler<SavePartner, PartnerView>
{
    public async ValueTask<PartnerView> Handle(SavePartner r, CancellationToken cancellationToken)
    {
        var partner = r.PartnerId is { } id
            ? await session.LoadAsync<Partner>(id, cancellationToken) ?? throw new Domain.Common.RefusedException(PartnerRefusals.NotFound)
            : new Partner { Id = Guid.CreateVersion7(clock.GetUtcNow()), CreatedAt = clock.GetUtcNow() };
        partner.Name = r.Name!.Trim();
        partner.Type = r.Type!.Value;
        partner.Contacts = [.. r.Contacts ?? []];
        partner.WebhookUrl = r.WebhookUrl;
        partner.WebhookSecret = r.WebhookUrl is null ? null : r.WebhookSecret;
        session.Store(partner);
        idempotency.Enlist(session);
        await session.SaveChangesAsync(cancellationToken);
        return PartnerView.Of(partner);
    }
}

public static class PartnerRefusals
{
    public static readonly Domain.Common.Refusal NotFound = new("partner-not-found",
        new("No such partner in this cell.", "Aucun partenaire de ce type dans cette cellule."), Domain.Common.RefusalKind.NotFound);
}
