using FluentValidation;
using Marten;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Http;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Common;

namespace Pare.Cell.Api.Cases.Opening;

/// <summary>Open a case: the minor's identity, placement and the worker who follows them.</summary>
public sealed record OpenCaseRequest(
    string? FirstName,
    string? LastName,
    DateOnly? DateOfBirth,
    PlacementInput? Placement,
    string? AssignedWorkerId) : ICommand<CaseView>;

public sealed record PlacementInput(PlacementKind? Kind, string? Establishment);

public sealed class OpenCaseValidator : AbstractValidator<OpenCaseRequest>
{
    public static readonly Bilingual BornInTheFuture = new("The date of birth cannot be in the future.", "La date de naissance ne peut pas être dans le futur.");
    public static readonly Bilingual NotAMinor = new("The cell follows minors only: this person is 18 or older.", "La cellule ne suit que des mineur·es : cette personne a 18 ans ou plus.");
    public static readonly Bilingual EstablishmentRequired = new("Name the establishment or arrangement for this placement.", "Indiquez l'établissement ou le lieu de ce placement.");

    public OpenCaseValidator(TimeProvider clock)
    {
        RuleFor(r => r.FirstName).NotEmpty().MaximumLength(100);
        RuleFor(r => r.LastName).NotEmpty().MaximumLength(100);
        RuleFor(r => r.DateOfBirth).NotEmpty().DependentRules(() =>
        {
            RuleFor(r => r.DateOfBirth!.Value)
                .Must(dob => dob <= Today(clock)).WithMessage(_ => BornInTheFuture.ToString())
                .Must(dob => new MinorIdentity("", "", dob).AgeOn(Today(clock)) < MinorIdentity.AgeOfMajority)
                .WithMessage(_ => NotAMinor.ToString())
                .OverridePropertyName("dateOfBirth");
        });
        RuleFor(r => r.Placement).NotEmpty().DependentRules(() =>
        {
            RuleFor(r => r.Placement!.Kind).NotEmpty().IsInEnum().OverridePropertyName("placement.kind");
            RuleFor(r => r.Placement!.Establishment).MaximumLength(200).OverridePropertyName("placement.establishment");
            RuleFor(r => r.Placement!.Establishment)
                .NotEmpty().WithMessage(_ => EstablishmentRequired.ToString())
                .When(r => r.Placement!.Kind is PlacementKind.ChildWelfareEstablishment or PlacementKind.Other)
                .OverridePropertyName("placement.establishment");
        });
        RuleFor(r => r.AssignedWorkerId).MaximumLength(100);
    }

    private static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
}

public sealed class OpenCaseHandler(IDocumentSession session, CurrentUser user, TimeProvider clock)
    : ICommandHandler<OpenCaseRequest, CaseView>
{
    public async ValueTask<CaseView> Handle(OpenCaseRequest request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var caseId = Guid.CreateVersion7(now);
        var command = new OpenCase(
            caseId,
            new MinorIdentity(request.FirstName!.Trim(), request.LastName!.Trim(), request.DateOfBirth!.Value),
            new Placement(request.Placement!.Kind!.Value, request.Placement.Establishment?.Trim()),
            request.AssignedWorkerId ?? user.UserId,
            user.Actor,
            now);

        var events = CaseDecider.Decide(command, null);
        session.Events.StartStream<Case>(caseId, events);
        await session.SaveChangesAsync(cancellationToken);

        var state = events.Aggregate((Case?)null, Case.Evolve)!;
        state.Version = events.Count;
        return CaseView.Of(state, DateOnly.FromDateTime(now.UtcDateTime));
    }
}

public static class OpeningEndpoint
{
    public static async Task<Created<CaseView>> Handle(OpenCaseRequest request, IMediator mediator, HttpContext http, CancellationToken cancellationToken)
    {
        var opened = await mediator.Send(request, cancellationToken);
        ETags.Set(http, opened.Version);
        return TypedResults.Created($"/api/v1/cases/{opened.Id}", opened);
    }
}
