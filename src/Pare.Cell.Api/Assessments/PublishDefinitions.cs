using FluentValidation;
using Marten;
using Mediator;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Domain.Assessments;

namespace Pare.Cell.Api.Assessments;

/// <summary>Publish the next version of the return-interview questionnaire (head, admin).</summary>
public sealed record PublishQuestionnaire(IReadOnlyList<QuestionnaireSection>? Sections) : ICommand<ReturnInterviewQuestionnaire>;

public sealed class PublishQuestionnaireValidator : AbstractValidator<PublishQuestionnaire>
{
    public PublishQuestionnaireValidator()
    {
        RuleFor(r => r.Sections).NotEmpty();
        RuleForEach(r => r.Sections).ChildRules(section =>
        {
            section.RuleFor(s => s.Key).NotEmpty().MaximumLength(60);
            section.RuleFor(s => s.Title).NotNull();
            section.RuleFor(s => s.Questions).NotEmpty();
            section.RuleForEach(s => s.Questions).ChildRules(question =>
            {
                question.RuleFor(q => q.Key).NotEmpty().MaximumLength(60).Matches("^[a-zA-Z][a-zA-Z0-9]*$");
                question.RuleFor(q => q.Text).NotNull();
                question.RuleFor(q => q.Type).IsInEnum();
                question.RuleFor(q => q.Options).NotEmpty().When(q => q.Type is AnswerType.Choice or AnswerType.MultipleChoice);
                question.RuleFor(q => q.IndicatorWhenYes).Must(i => i is null || RiskIndicatorCatalogue.Default.Find(i) is not null)
                    .WithMessage("Unknown risk indicator.");
            });
        });
        RuleFor(r => r.Sections).Must(s => s is null || s.SelectMany(x => x.Questions ?? []).Select(q => q.Key).Distinct().Count() == s.SelectMany(x => x.Questions ?? []).Count())
            .WithMessage("Question keys must be unique.");
    }
}

public sealed class PublishQuestionnaireHandler(IDocumentSession session, CurrentUser user, TimeProvider clock) : ICommandHandler<PublishQuestionnaire, ReturnInterviewQuestionnaire>
{
    public async ValueTask<ReturnInterviewQuestionnaire> Handle(PublishQuestionnaire r, CancellationToken cancellationToken)
    {
        var latest = await AssessmentDefinitions.QuestionnaireAsync(session, null, cancellationToken);
        var next = new ReturnInterviewQuestionnaire(latest!.Version + 1, r.Sections!);
        session.Insert(new PublishedQuestionnaire { Id = $"v{next.Version}", Version = next.Version, Definition = next, PublishedAt = clock.GetUtcNow(), PublishedBy = user.UserId });
        await session.SaveChangesAsync(cancellationToken);
        return next;
    }
}

/// <summary>Publish the next version of the risk-indicator catalogue (head, admin); earlier assessments keep theirs.</summary>
public sealed record PublishCatalogue(IReadOnlyList<RiskIndicator>? Indicators) : ICommand<RiskIndicatorCatalogue>;

public sealed class PublishCatalogueValidator : AbstractValidator<PublishCatalogue>
{
    public PublishCatalogueValidator()
    {
        RuleFor(r => r.Indicators).NotEmpty();
        RuleForEach(r => r.Indicators).ChildRules(indicator =>
        {
            indicator.RuleFor(i => i.Key).NotEmpty().MaximumLength(60).Matches("^[a-zA-Z][a-zA-Z0-9]*$");
            indicator.RuleFor(i => i.Label).NotNull();
            indicator.RuleFor(i => i.Category).IsInEnum();
            indicator.RuleFor(i => i.RecentPoints).InclusiveBetween(0, 20);
            indicator.RuleFor(i => i.OlderPoints).InclusiveBetween(0, 20);
            indicator.RuleFor(i => i.RecentMonths).InclusiveBetween(1, 120);
            indicator.RuleFor(i => i.OlderMonths).InclusiveBetween(1, 120);
        });
        RuleFor(r => r.Indicators).Must(i => i is null || i.Select(x => x.Key).Distinct().Count() == i.Count).WithMessage("Indicator keys must be unique.");
    }
}

public sealed class PublishCatalogueHandler(IDocumentSession session, CurrentUser user, TimeProvider clock) : ICommandHandler<PublishCatalogue, RiskIndicatorCatalogue>
{
    public async ValueTask<RiskIndicatorCatalogue> Handle(PublishCatalogue r, CancellationToken cancellationToken)
    {
        var latest = await AssessmentDefinitions.CatalogueAsync(session, null, cancellationToken);
        var next = new RiskIndicatorCatalogue(latest!.Version + 1, r.Indicators!);
        session.Insert(new PublishedCatalogue { Id = $"v{next.Version}", Version = next.Version, Definition = next, PublishedAt = clock.GetUtcNow(), PublishedBy = user.UserId });
        await session.SaveChangesAsync(cancellationToken);
        return next;
    }
}
