using FluentValidation;
using Pare.Cell.Domain.Common;

namespace Pare.Cell.Api.Infrastructure.Messaging;

/// <summary>Validation rules shared by several use cases.</summary>
public static class Rules
{
    /// <summary>Clocks of phones and servers differ a little; beyond this, a time "in the future" is a mistake.</summary>
    public static readonly TimeSpan ClockTolerance = TimeSpan.FromMinutes(5);

    private static readonly Bilingual InTheFuture = new("This time is in the future.", "Cette heure est dans le futur.");
    private static readonly Bilingual TooOld = new("This time is more than a year ago.", "Cette heure remonte à plus d'un an.");

    public static IRuleBuilderOptions<T, DateTimeOffset?> NotInTheFuture<T>(this IRuleBuilder<T, DateTimeOffset?> rule, TimeProvider clock) =>
        rule.Must(t => t is null || t <= clock.GetUtcNow() + ClockTolerance).WithMessage(_ => InTheFuture.ToString())
            .Must(t => t is null || t >= clock.GetUtcNow().AddYears(-1)).WithMessage(_ => TooOld.ToString());

    private static readonly Bilingual NotAPublicHttpsUrl = new(
        "Use an absolute https:// URL of a public host, without credentials: no private, loopback, link-local, multicast or metadata address, no local name.",
        "Utilisez une URL https:// absolue d'un hôte public, sans identifiants : ni adresse privée, locale, de lien local, de multidiffusion ou de métadonnées, ni nom local.");

    /// <summary>
    /// A URL the API may send to (<see cref="Http.OutboundPolicy"/>): checked here when saved, and
    /// again, on the address it resolves to, when a request leaves; at most <see cref="MaxUrlLength"/>. Null passes.
    /// </summary>
    public static IRuleBuilderOptions<T, string?> WebhookUrl<T>(this IRuleBuilder<T, string?> rule, Http.OutboundPolicy policy) =>
        rule.MaximumLength(MaxUrlLength).Must(url => url is null || policy.Accepts(url)).WithMessage(_ => NotAPublicHttpsUrl.ToString()).Format("uri");

    /// <summary>The longest address RFC 5321 lets through (a path of 256 octets, less its brackets).</summary>
    public const int MaxEmailLength = 254;

    /// <summary>A URL the API stores and calls: long enough for any real endpoint, short of a payload.</summary>
    public const int MaxUrlLength = 2000;

    /// <summary>
    /// A command that carries a body the HTTP endpoint validates (<c>ValidateBody</c>) is validated by the
    /// body's own rules when sent by other means (the console's pages): failures named as the body names
    /// them (<c>contactEveryHours</c>, not <c>settings.contactEveryHours</c>). Null passes.
    /// </summary>
    public static Action<TBody?, ValidationContext<T>> AsBody<T, TBody>(IValidator<TBody> validator) => (body, context) =>
    {
        if (body is null) return;
        foreach (var failure in validator.Validate(body).Errors) context.AddFailure(failure);
    };

    private static readonly Bilingual NotAWebhookSecret = new(
        "Use a Standard Webhooks secret: whsec_ followed by 24 to 64 random bytes in base64.",
        "Utilisez un secret Standard Webhooks : whsec_ suivi de 24 à 64 octets aléatoires en base64.");

    /// <summary>
    /// A webhook signing secret in the Standard Webhooks form (<c>whsec_</c> + base64), so that a
    /// receiver verifies our signatures with a stock library. Null passes.
    /// </summary>
    public static IRuleBuilderOptions<T, string?> WebhookSecret<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(secret => secret is null || Alerts.WebhookSender.IsStandardSecret(secret)).WithMessage(_ => NotAWebhookSecret.ToString());

    private static readonly Bilingual NotAMailbox = new(
        "Give one e-mail address, as name@domain.tld: no display name, list, group, comment or line break.",
        "Indiquez une seule adresse électronique, sous la forme nom@domaine.tld : sans nom affiché, liste, groupe, commentaire ni saut de ligne.");

    /// <summary>
    /// An address the mailer can send to, read by the mailer's own parser (<see cref="Alerts.Mailboxes"/>),
    /// so that no alert is ever accepted toward an address it cannot leave for; at most <see cref="MaxEmailLength"/>. Null passes.
    /// </summary>
    public static IRuleBuilderOptions<T, string?> Mailbox<T>(this IRuleBuilder<T, string?> rule) =>
        rule.MaximumLength(MaxEmailLength).Must(address => address is null || Alerts.Mailboxes.TryParse(address, out _)).WithMessage(_ => NotAMailbox.ToString()).Format("email");
}

/// <summary>A text in both of the cell's languages (a question, a label): neither may be left blank.</summary>
public sealed class BilingualValidator : AbstractValidator<Bilingual>
{
    public const int MaxLength = 1000;

    public BilingualValidator()
    {
        RuleFor(b => b.English).NotEmpty().MaximumLength(MaxLength);
        RuleFor(b => b.French).NotEmpty().MaximumLength(MaxLength);
    }
}
