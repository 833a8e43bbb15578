using Pare.Cell.Api.Infrastructure.Messaging;
using FluentValidation;
using Marten;
using Mediator;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Http;
using Pare.Cell.Domain.Assessments;
using Pare.Cell.Domain.Common;

namespace Pare.Cell.Api.Assessments;

/// <summary>Publish the next version of the risk-indicator catalogue (head, admin); earlier assessments keep theirs.</summary>
public sealed record PublishCatalogue(IReadOnlyList<RiskIndicator>? Indicators) : ICommand<RiskIndicatorCatalogue>;

public sealed class PublishCatalogueValidator : AbstractValidator<PublishCatalogue>
{
    public PublishCatalogueValidator()
    {
        RuleFor(r => r.Indicators).NotEmpty().MaximumCount(200);
        RuleForEach(r => r.Indicators).NotNull().ChildRules(indicator =>
        {
            indicator.RuleFor(i => i.Key).NotEmpty().MaximumLength(60).Matches("^[a-zA-Z][a-zA-Z0-9]*$");
            indicator.RuleFor(i => i.Label).NotNull().SetValidator(new BilingualValidator());
            indicator.RuleFor(i => i.Category).IsInEnum();
            indicator.RuleFor(i => i.RecentPoints).InclusiveBetween(0, 20);
            indicator.RuleFor(i => i.OlderPoints).InclusiveBetween(0, 20);
            indicator.RuleFor(i => i.RecentMonths).InclusiveBetween(1, 120);
            indicator.RuleFor(i => i.OlderMonths).InclusiveBetween(1, 120);
        });
        RuleFor(r => r.Indicators).Must(i => i is null || i.Where(x => x is not null).Select(x => x.Key).Distinct().Count() == i.Count(x => x is not null)).WithMessage(_ => new Bilingual("Indicator keys must be unique.", "Les clés des indicateurs doivent être uniques.").ToString());
    }
}

public sealed class PublishCatalogueHandler(IDocumentSession session, CurrentUser user, TimeProvider clock, Idempotency idempotency) : ICommandHandler<PublishCatalogue, RiskIndicatorCatalogue>
{
    public async ValueTask<RiskIndicatorCatalogue> Handle(PublishCatalogue r, CancellationToken cancellationToken)
    {
        var latest = await AssessmentDefinitions.CatalogueAsync(session, null, cancellationToken);
        var next = new RiskIndicatorCatalogue(latest!.Version + 1, r.Indicators!);
        session.Insert(new PublishedCatalogue { Id = $"v{next.Version}", Version = next.Version, Definition = next, PublishedAt = clock.GetUtcNow(), PublishedBy = user.UserId });
        idempotency.Enlist(session);
        await session.SaveChangesAsync(cancellationToken);
        return next;
    }
}
