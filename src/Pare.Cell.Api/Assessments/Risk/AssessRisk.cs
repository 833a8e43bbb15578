using Pare.Cell.Api.Infrastructure.Messaging;
using FluentValidation;
using Marten;
using Mediator;
using Pare.Cell.Api.Cases;
using Pare.Cell.Domain.Assessments;
using Pare.Cell.Domain.Common;

namespace Pare.Cell.Api.Assessments.Risk;

/// <summary>
/// Record a risk assessment: the indicators observed (with dates), scored under the catalogue
/// version; the worker's final level (a different level than suggested needs a justification).
/// A new level is a fact the worrying-disappearance policy uses: an open episode is re-evaluated.
/// </summary>
public sealed record AssessRiskRequest(
    int? CatalogueVersion,
    IReadOnlyList<ObservationInput>? Observations,
    RiskLevel? FinalLevel,
    string? Justification) : CaseRequest, ICommand<RiskAssessmentResult>;

public sealed record ObservationInput(string? Indicator, DateOnly? ObservedOn);

public sealed record RiskAssessmentResult(Guid AssessmentId, int Score, RiskLevel SuggestedLevel, IReadOnlyList<ScoreReason> Reasons, RiskLevel FinalLevel, long Version)
    : Infrastructure.Database.IJournaledAnswer
{
    /// <summary>For the journal: the URL names the case.</summary>
    [System.Text.Json.Serialization.JsonIgnore] public Guid CaseId { get; init; }

    Guid Infrastructure.Database.IJournaledAnswer.JournaledCaseId => CaseId;
}

public sealed class AssessRiskValidator : AbstractValidator<AssessRiskRequest>
{
    public AssessRiskValidator(TimeProvider clock)
    {
        RuleFor(r => r.CatalogueVersion).GreaterThan(0);
        RuleFor(r => r.Observations).NotNull().MaximumCount(100);
        RuleForEach(r => r.Observations).NotNull().SetValidator(new ObservationInputValidator(clock));
        RuleFor(r => r.FinalLevel).NotEmpty().IsInEnum();
        RuleFor(r => r.Justification).MaximumLength(4000);
    }
}

/// <summary>One observed indicator, as recorded and as previewed: a known key, a date not in the future.</summary>
public sealed class ObservationInputValidator : AbstractValidator<ObservationInput>
{
    public ObservationInputValidator(TimeProvider clock)
    {
        RuleFor(x => x.Indicator).NotEmpty().MaximumLength(60);
        RuleFor(x => x.ObservedOn).NotEmpty()
            .Must(d => d is null || d <= DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(1))
            .WithMessage(_ => new Bilingual("This date is in the future.", "Cette date est dans le futur.").ToString());
    }
}

public sealed class AssessRiskHandler(CaseStreams cases, IQuerySession session, TimeProvider clock) : ICommandHandler<AssessRiskRequest, RiskAssessmentResult>
{
    public async ValueTask<RiskAssessmentResult> Handle(AssessRiskRequest r, CancellationToken cancellationToken)
    {
        var (catalogue, observed) = await RiskInputs.ResolveAsync(session, r.CatalogueVersion, r.Observations!, cancellationToken);
        var assessmentId = Guid.CreateVersion7(clock.GetUtcNow());
        var written = await cases.DecideAsync(r.CaseId, r.ExpectedVersion,
            (by, now) => new AssessRisk(assessmentId, catalogue, observed, r.FinalLevel!.Value, r.Justification?.Trim(), by, now), cancellationToken);
        var assessed = written.Events.OfType<RiskAssessed>().Single();
        return new RiskAssessmentResult(assessmentId, assessed.Score, assessed.SuggestedLevel, assessed.Reasons, assessed.FinalLevel, written.Version) { CaseId = r.CaseId };
    }
}
