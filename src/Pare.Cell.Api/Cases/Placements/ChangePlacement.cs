using Pare.Cell.Api.Infrastructure.Messaging;
using FluentValidation;
using Mediator;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Common;

namespace Pare.Cell.Api.Cases.Placements;

/// <summary>Where the minor lives: at home, in an establishment, with a foster family…</summary>
public interface IPlacementInput
{
    PlacementKind? Kind { get; }
    string? Establishment { get; }
}

public sealed record PlacementInput(PlacementKind? Kind, string? Establishment) : IPlacementInput;

public static class PlacementInputs
{
    public static Domain.Cases.Placement ToPlacement(this IPlacementInput input) =>
        new(input.Kind!.Value, string.IsNullOrWhiteSpace(input.Establishment) ? null : input.Establishment.Trim());
}

public sealed class PlacementInputValidator : AbstractValidator<IPlacementInput>
{
    public static readonly Bilingual EstablishmentRequired = new(
        "Name the establishment or arrangement for this placement.", "Indiquez l'établissement ou le lieu de ce placement.");

    public PlacementInputValidator()
    {
        RuleFor(p => p.Kind).NotEmpty().IsInEnum();
        RuleFor(p => p.Establishment).MaximumLength(200);
        RuleFor(p => p.Establishment).NotEmpty().WithMessage(_ => EstablishmentRequired.ToString())
            .When(p => p.Kind is PlacementKind.ChildWelfareEstablishment or PlacementKind.Other, "`kind` is `childWelfareEstablishment` or `other`");
    }
}

public sealed record ChangePlacementRequest(PlacementKind? Kind, string? Establishment) : CaseRequest, IPlacementInput, ICommand<CaseView>;

public sealed class ChangePlacementValidator : AbstractValidator<ChangePlacementRequest>
{
    public ChangePlacementValidator() => Include(new PlacementInputValidator());
}

public sealed class ChangePlacementHandler(CaseStreams cases, TimeProvider clock) : ICommandHandler<ChangePlacementRequest, CaseView>
{
    public async ValueTask<CaseView> Handle(ChangePlacementRequest r, CancellationToken cancellationToken)
    {
        var placement = r.ToPlacement();
        var written = await cases.DecideAsync(r.CaseId, r.ExpectedVersion, (by, now) => new ChangePlacement(placement, by, now), cancellationToken);
        return CaseView.Of(written.State, clock.GetUtcNow());
    }
}
