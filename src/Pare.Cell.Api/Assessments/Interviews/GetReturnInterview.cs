using System.Text.Json;
using Marten;
using Mediator;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Database;
using Pare.Cell.Domain.Assessments;
using Pare.Cell.Domain.Common;

namespace Pare.Cell.Api.Assessments.Interviews;

/// <summary>The episode's return interview, each answer beside its question as worded in the version it was held under; journaled.</summary>
public sealed record GetReturnInterview(Guid CaseId, Guid EpisodeId) : IQuery<ReturnInterviewView?>;

public sealed record ReturnInterviewView(
    Guid EpisodeId,
    InterviewStatus Status,
    int? QuestionnaireVersion,
    IReadOnlyList<AnsweredQuestion> Answers,
    IReadOnlyList<string> Present,
    string? MinorsOwnWords,
    IReadOnlyList<string> RevealedIndicators,
    string? NotHeldReason,
    DateTimeOffset? RecordedAt,
    Actor? RecordedBy);

public sealed record AnsweredQuestion(string Section, string Question, string Text, JsonElement Answer);

public sealed class GetReturnInterviewHandler(IQuerySession session, AccessJournal journal, CurrentUser user) : IQueryHandler<GetReturnInterview, ReturnInterviewView?>
{
    public async ValueTask<ReturnInterviewView?> Handle(GetReturnInterview query, CancellationToken cancellationToken)
    {
        var events = await session.Events.FetchStreamAsync(query.CaseId, token: cancellationToken);
        var held = events.Select(e => e.Data).OfType<ReturnInterviewRecorded>().FirstOrDefault(e => e.EpisodeId == query.EpisodeId);
        var declined = events.Select(e => e.Data).OfType<ReturnInterviewNotHeld>().FirstOrDefault(e => e.EpisodeId == query.EpisodeId);
        var reported = events.Any(e => e.Data is Domain.Episodes.RunawayReported r && r.EpisodeId == query.EpisodeId);
        if (!reported) return null;
        await journal.RecordAsync(user, query.CaseId, JournalActions.ReadReturnInterview, cancellationToken);

        if (held is null)
            return new ReturnInterviewView(query.EpisodeId, declined is null ? InterviewStatus.Due : InterviewStatus.NotHeld, null, [], [], null, [],
                declined?.Reason, declined?.Provenance.RecordedAt, declined?.Provenance.RecordedBy);

        var questionnaire = await AssessmentDefinitions.QuestionnaireAsync(session, held.QuestionnaireVersion, cancellationToken)
            ?? ReturnInterviewQuestionnaire.Default;
        var answers = questionnaire.Sections
            .SelectMany(s => s.Questions.Select(q => (Section: s, Question: q)))
            .Where(x => held.Answers.ContainsKey(x.Question.Key))
            .Select(x => new AnsweredQuestion(x.Section.Key, x.Question.Key, x.Question.Text.ToString(), held.Answers[x.Question.Key]))
            .ToList();
        return new ReturnInterviewView(query.EpisodeId, InterviewStatus.Held, held.QuestionnaireVersion, answers, held.Present, held.MinorsOwnWords,
            held.RevealedIndicators, null, held.Provenance.RecordedAt, held.Provenance.RecordedBy);
    }
}
