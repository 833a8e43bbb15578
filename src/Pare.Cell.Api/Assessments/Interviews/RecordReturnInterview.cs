using System.Text.Json;
using FluentValidation;
using FluentValidation.Results;
using Marten;
using Mediator;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Episodes;
using Pare.Cell.Api.Infrastructure.Messaging;
using Pare.Cell.Domain.Assessments;

namespace Pare.Cell.Api.Assessments.Interviews;

/// <summary>
/// The return interview held after a return, answered under the questionnaire version it names.
/// Answers are checked against that version (unknown question, wrong type, missing required
/// answer → 400 naming <c>answers.{question}</c>); answers that reveal risk indicators suggest a
/// reassessment.
/// </summary>
public sealed record RecordReturnInterviewRequest(
    int? QuestionnaireVersion,
    Dictionary<string, JsonElement>? Answers,
    IReadOnlyList<string>? Present,
    string? MinorsOwnWords,
    DateTimeOffset? HeldAt) : EpisodeRequest, ICommand<EntryRecorded>;

public sealed class RecordReturnInterviewValidator : AbstractValidator<RecordReturnInterviewRequest>
{
    public RecordReturnInterviewValidator(TimeProvider clock)
    {
        RuleFor(r => r.QuestionnaireVersion).NotEmpty().GreaterThan(0);
        RuleFor(r => r.Answers).NotNull();
        RuleFor(r => r.Present).NotEmpty().MaximumCount(20);
        RuleForEach(r => r.Present).NotEmpty().MaximumLength(200);
        RuleFor(r => r.MinorsOwnWords).MaximumLength(8000);
        RuleFor(r => r.HeldAt).NotInTheFuture(clock);
    }
}

public sealed class RecordReturnInterviewHandler(CaseStreams cases, IQuerySession session) : ICommandHandler<RecordReturnInterviewRequest, EntryRecorded>
{
    public async ValueTask<EntryRecorded> Handle(RecordReturnInterviewRequest r, CancellationToken cancellationToken)
    {
        var questionnaire = await AssessmentDefinitions.QuestionnaireAsync(session, r.QuestionnaireVersion, cancellationToken)
            ?? throw new ValidationException([new ValidationFailure("questionnaireVersion", UnknownVersion.ToString())]);
        var problems = questionnaire.Check(r.Answers!);
        if (problems.Count > 0)
            throw new ValidationException(problems.Select(p => new ValidationFailure($"answers.{p.Question}", p.Problem.ToString())));

        var revealed = questionnaire.RevealedIndicators(r.Answers!);
        var written = await cases.DecideAsync(r.CaseId, r.ExpectedVersion, (by, now) => new RecordReturnInterview(
            r.EpisodeId, questionnaire.Version, r.Answers!, r.Present!, r.MinorsOwnWords, revealed, r.HeldAt ?? now, by, now), cancellationToken);
        return EntryRecorded.Of(written, r.EpisodeId);
    }

    private static readonly Domain.Common.Bilingual UnknownVersion = new("No such questionnaire version.", "Cette version du questionnaire n'existe pas.");
}
