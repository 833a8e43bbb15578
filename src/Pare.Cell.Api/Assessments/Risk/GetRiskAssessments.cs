using Marten;
using Mediator;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Database;
using Pare.Cell.Domain.Assessments;
using Pare.Cell.Domain.Cases;

namespace Pare.Cell.Api.Assessments.Risk;

/// <summary>The case's assessments, newest first, the trend, and when the next is due; journaled.</summary>
public sealed record GetRiskAssessments(Guid CaseId) : IQuery<RiskAssessmentHistory?>;

public sealed record RiskAssessmentHistory(RiskLevel? CurrentLevel, DateTimeOffset? ReassessmentDueAt, DateTimeOffset? ReassessmentSuggestedAt,
    IReadOnlyList<RiskPoint> Trend, IReadOnlyList<RiskAssessed> Assessments);

public sealed class GetRiskAssessmentsHandler(IQuerySession session, AccessJournal journal, CurrentUser user) : IQueryHandler<GetRiskAssessments, RiskAssessmentHistory?>
{
    public async ValueTask<RiskAssessmentHistory?> Handle(GetRiskAssessments query, CancellationToken cancellationToken)
    {
        var state = await session.LoadAsync<Case>(query.CaseId, cancellationToken);
        if (state is null) return null;
        await journal.RecordAsync(user, query.CaseId, JournalActions.ReadRiskAssessments, cancellationToken);
        var events = await session.Events.FetchStreamAsync(query.CaseId, token: cancellationToken);
        var assessments = events.Select(e => e.Data).OfType<RiskAssessed>().Reverse().ToList();
        return new RiskAssessmentHistory(state.RiskLevel, state.ReassessmentDueAt, state.ReassessmentSuggestedAt, state.RiskTrend, assessments);
    }
}
