using FluentValidation;
using FluentValidation.Results;
using Marten;
using Pare.Cell.Domain.Assessments;
using Pare.Cell.Domain.Common;

namespace Pare.Cell.Api.Assessments.Risk;

internal static class RiskInputs
{
    public static async Task<(RiskIndicatorCatalogue, List<ObservedIndicator>)> ResolveAsync(IQuerySession session, int? version, IReadOnlyList<ObservationInput> observations, CancellationToken cancellationToken)
    {
        var catalogue = await AssessmentDefinitions.CatalogueAsync(session, version, cancellationToken)
            ?? throw new ValidationException([new ValidationFailure("catalogueVersion",
                new Bilingual("No such catalogue version.", "Cette version du référentiel n'existe pas.").ToString())]);
        var unknown = observations.Select((o, i) => (o, i)).Where(x => catalogue.Find(x.o.Indicator!) is null).ToList();
        if (unknown.Count > 0)
            throw new ValidationException(unknown.Select(x => new ValidationFailure($"observations[{x.i}].indicator",
                new Bilingual("No such indicator in this catalogue version.", "Cet indicateur n'existe pas dans cette version du référentiel.").ToString())));
        return (catalogue, observations.Select(o => new ObservedIndicator(o.Indicator!, o.ObservedOn!.Value)).ToList());
    }
}
