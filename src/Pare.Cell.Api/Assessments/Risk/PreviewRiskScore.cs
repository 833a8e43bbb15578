using Pare.Cell.Api.Infrastructure.Messaging;
using FluentValidation;
using Marten;
using Mediator;
using Pare.Cell.Domain.Assessments;

namespace Pare.Cell.Api.Assessments.Risk;

/// <summary>Score without recording: what the form shows as the worker ticks indicators.</summary>
public sealed record PreviewRiskScore(int? CatalogueVersion, IReadOnlyList<ObservationInput>? Observations) : IQuery<RiskScore>;

public sealed class PreviewRiskScoreValidator : AbstractValidator<PreviewRiskScore>
{
    public PreviewRiskScoreValidator(TimeProvider clock)
    {
        RuleFor(r => r.CatalogueVersion).GreaterThan(0);
        RuleFor(r => r.Observations).NotNull().MaximumCount(100);
        RuleForEach(r => r.Observations).NotNull().SetValidator(new ObservationInputValidator(clock));
    }
}

public sealed class PreviewRiskScoreHandler(IQuerySession session, TimeProvider clock) : IQueryHandler<PreviewRiskScore, RiskScore>
{
    public async ValueTask<RiskScore> Handle(PreviewRiskScore r, CancellationToken cancellationToken)
    {
        var (catalogue, observed) = await RiskInputs.ResolveAsync(session, r.CatalogueVersion, r.Observations!, cancellationToken);
        return RiskScoring.Score(catalogue, observed, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
    }
}
