using Pare.Cell.Api.Infrastructure.Messaging;
using FluentValidation;
using Marten;
using Mediator;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Http;
using Pare.Cell.Domain.Assessments;
using Pare.Cell.Domain.Common;

namespace Pare.Cell.Api.Assessments;

/// <summary>Publish the next version of the return-interview questionnaire (head, admin).</summary>
public sealed record PublishQuestionnaire(IReadOnlyList<QuestionnaireSection>? Sections) : ICommand<ReturnInterviewQuestionnaire>;

public sealed class PublishQuestionnaireValidator : AbstractValidator<PublishQuestionnaire>
{
    public PublishQuestionnaireValidator()
    {
        RuleFor(r => r.Sections).NotEmpty().MaximumCount(50);
        RuleForEach(r => r.Sections).NotNull().ChildRules(section =>
        {
            section.RuleFor(s => s.Key).NotEmpty().MaximumLength(60);
            section.RuleFor(s => s.Title).NotNull().SetValidator(new BilingualValidator());
            section.RuleFor(s => s.Questions).NotEmpty().MaximumCount(100);
            section.RuleForEach(s => s.Questions).NotNull().ChildRules(question =>
            {
                question.RuleFor(q => q.Key).NotEmpty().MaximumLength(60).Matches("^[a-zA-Z][a-zA-Z0-9]*$");
                question.RuleFor(q => q.Text).NotNull().SetValidator(new BilingualValidator());
                question.RuleFor(q => q.Type).IsInEnum();
                question.RuleFor(q => q.Options).MaximumCount(50);
                question.RuleFor(q => q.Options).NotEmpty().When(q => q.Type is AnswerType.Choice or AnswerType.MultipleChoice, "`type` is `choice` or `multipleChoice`");
                question.RuleForEach(q => q.Options).NotNull().ChildRules(option =>
                {
                    option.RuleFor(o => o.Key).NotEmpty().MaximumLength(60);
                    option.RuleFor(o => o.Label).NotNull().SetValidator(new BilingualValidator());
                });
                question.RuleFor(q => q.IndicatorWhenYes).MaximumLength(60).Must(i => i is null || RiskIndicatorCatalogue.Default.Find(i) is not null)
                    .WithMessage(_ => new Bilingual("Unknown risk indicator.", "Indicateur de risque inconnu.").ToString());
            });
        });
        RuleFor(r => r.Sections).Must(s => s is null || QuestionKeys(s).Distinct().Count() == QuestionKeys(s).Count())
            .WithMessage(_ => new Bilingual("Question keys must be unique.", "Les clés des questions doivent être uniques.").ToString());
    }

    private static IEnumerable<string> QuestionKeys(IReadOnlyList<QuestionnaireSection> sections) =>
        sections.Where(s => s is not null).SelectMany(s => s.Questions ?? []).Where(q => q is not null).Select(q => q.Key);
}

public sealed class PublishQuestionnaireHandler(IDocumentSession session, CurrentUser user, TimeProvider clock, Idempotency idempotency) : ICommandHandler<PublishQuestionnaire, ReturnInterviewQuestionnaire>
{
    public async ValueTask<ReturnInterviewQuestionnaire> Handle(PublishQuestionnaire r, CancellationToken cancellationToken)
    {
        var latest = await AssessmentDefinitions.QuestionnaireAsync(session, null, cancellationToken);
        var next = new ReturnInterviewQuestionnaire(latest!.Version + 1, r.Sections!);
        session.Insert(new PublishedQuestionnaire { Id = $"v{next.Version}", Version = next.Version, Definition = next, PublishedAt = clock.GetUtcNow(), PublishedBy = user.UserId });
        idempotency.Enlist(session);
        await session.SaveChangesAsync(cancellationToken);
        return next;
    }
}
