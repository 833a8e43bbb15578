using FluentValidation;
using Mediator;
using Pare.Cell.Domain.Policies;

namespace Pare.Cell.Api.Policies;

/// <summary>The cell's worrying criteria, as the body of <c>PUT /api/v1/policy/criteria</c> (validated by <see cref="WorryingCriteriaValidator"/>).</summary>
public sealed record UpdateWorryingCriteria(WorryingCriteria Criteria, long? ExpectedVersion) : ICommand<CellPolicyView>;

/// <summary>Every criterion is stated, switched on or off, with its thresholds in range.</summary>
public sealed class WorryingCriteriaValidator : AbstractValidator<WorryingCriteria>
{
    public WorryingCriteriaValidator()
    {
        RuleFor(c => c.YoungerThan).NotNull().ChildRules(t => t.RuleFor(x => x.Years).InclusiveBetween(1, 18));
        RuleFor(c => c.MissingLongerThan).NotNull().ChildRules(t =>
        {
            t.RuleFor(x => x.Hours).InclusiveBetween(1, 24 * 14);
            t.RuleFor(x => x.YoungerMinorHours).InclusiveBetween(1, 24 * 14);
            t.RuleFor(x => x.YoungerThanYears).InclusiveBetween(1, 18);
        });
        RuleFor(c => c.RepeatedEpisodes).NotNull().ChildRules(t =>
        {
            t.RuleFor(x => x.Episodes).InclusiveBetween(2, 20);
            t.RuleFor(x => x.WithinDays).InclusiveBetween(1, 365);
        });
        RuleFor(c => c.RiskLevelAtRiskOrInSituation).NotNull();
        RuleFor(c => c.HealthNeedsOrMedication).NotNull();
        RuleFor(c => c.Disability).NotNull();
        RuleFor(c => c.SelfHarmRisk).NotNull();
        RuleFor(c => c.ThirdPartyInvolvement).NotNull();
        RuleFor(c => c.FirstKnownEpisode).NotNull();
        RuleFor(c => c.DangerDeclared).NotNull();
    }
}

/// <summary>The command as the console sends it: the body's rules.</summary>
public sealed class UpdateWorryingCriteriaValidator : AbstractValidator<UpdateWorryingCriteria>
{
    public UpdateWorryingCriteriaValidator() =>
        RuleFor(r => r.Criteria).NotNull().Custom(Infrastructure.Messaging.Rules.AsBody<UpdateWorryingCriteria, WorryingCriteria>(new WorryingCriteriaValidator()));
}

public sealed class UpdateWorryingCriteriaHandler(PolicyStreams policies) : ICommandHandler<UpdateWorryingCriteria, CellPolicyView>
{
    public async ValueTask<CellPolicyView> Handle(UpdateWorryingCriteria r, CancellationToken cancellationToken) =>
        await policies.AppendAsync(r.ExpectedVersion, provenance => new WorryingCriteriaChanged(r.Criteria, provenance), cancellationToken);
}
