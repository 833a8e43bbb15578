using FluentValidation;
using Mediator;
using Pare.Cell.Domain.Policies;

namespace Pare.Cell.Api.Policies;

public sealed record UpdateWorryingCriteria(WorryingCriteria? Criteria, long? ExpectedVersion) : ICommand<CellPolicyView>;

public sealed class UpdateWorryingCriteriaValidator : AbstractValidator<UpdateWorryingCriteria>
{
    public UpdateWorryingCriteriaValidator()
    {
        RuleFor(r => r.Criteria).NotNull();
        RuleFor(r => r.Criteria!.YoungerThan).NotNull().OverridePropertyName("youngerThan");
        RuleFor(r => r.Criteria!.YoungerThan.Years).InclusiveBetween(1, 18).When(r => r.Criteria?.YoungerThan is not null).OverridePropertyName("youngerThan.years");
        RuleFor(r => r.Criteria!.MissingLongerThan).NotNull().OverridePropertyName("missingLongerThan");
        When(r => r.Criteria?.MissingLongerThan is not null, () =>
        {
            RuleFor(r => r.Criteria!.MissingLongerThan.Hours).InclusiveBetween(1, 24 * 14).OverridePropertyName("missingLongerThan.hours");
            RuleFor(r => r.Criteria!.MissingLongerThan.YoungerMinorHours).InclusiveBetween(1, 24 * 14).OverridePropertyName("missingLongerThan.youngerMinorHours");
            RuleFor(r => r.Criteria!.MissingLongerThan.YoungerThanYears).InclusiveBetween(1, 18).OverridePropertyName("missingLongerThan.youngerThanYears");
        });
        RuleFor(r => r.Criteria!.RepeatedEpisodes).NotNull().OverridePropertyName("repeatedEpisodes");
        When(r => r.Criteria?.RepeatedEpisodes is not null, () =>
        {
            RuleFor(r => r.Criteria!.RepeatedEpisodes.Episodes).InclusiveBetween(2, 20).OverridePropertyName("repeatedEpisodes.episodes");
            RuleFor(r => r.Criteria!.RepeatedEpisodes.WithinDays).InclusiveBetween(1, 365).OverridePropertyName("repeatedEpisodes.withinDays");
        });
        foreach (var (name, select) in Switches)
            RuleFor(r => select(r.Criteria!)).NotNull().When(r => r.Criteria is not null).OverridePropertyName(name);
    }

    private static readonly (string, Func<WorryingCriteria, Switch?>)[] Switches =
    [
        ("riskLevelAtRiskOrInSituation", c => c.RiskLevelAtRiskOrInSituation),
        ("healthNeedsOrMedication", c => c.HealthNeedsOrMedication),
        ("disability", c => c.Disability),
        ("selfHarmRisk", c => c.SelfHarmRisk),
        ("thirdPartyInvolvement", c => c.ThirdPartyInvolvement),
        ("firstKnownEpisode", c => c.FirstKnownEpisode),
        ("dangerDeclared", c => c.DangerDeclared),
    ];
}

public sealed class UpdateWorryingCriteriaHandler(PolicyStreams policies) : ICommandHandler<UpdateWorryingCriteria, CellPolicyView>
{
    public async ValueTask<CellPolicyView> Handle(UpdateWorryingCriteria r, CancellationToken cancellationToken) =>
        await policies.AppendAsync(r.ExpectedVersion, provenance => new WorryingCriteriaChanged(r.Criteria!, provenance), cancellationToken);
}
