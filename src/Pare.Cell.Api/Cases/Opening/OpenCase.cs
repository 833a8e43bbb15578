using Pare.Cell.Api.Infrastructure.Messaging;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Http;
using Pare.Cell.Api.Cases.Placements;
using Pare.Cell.Domain.Cases;
using Pare.Cell.Domain.Common;

namespace Pare.Cell.Api.Cases.Opening;

/// <summary>Open a case: the minor's identity, placement and the worker who follows them.</summary>
/// <param name="AssignedWorkerId">The worker who follows the minor: the caller when absent; another worker only when the caller is the service head (403 <c>only-head-assigns</c> otherwise).</param>
/// <param name="ConfirmDistinct">After a 409 <c>probable-duplicate</c>: the worker checked the candidates and this is another person (recorded on the event).</param>
public sealed record OpenCaseRequest(
    string? FirstName,
    string? LastName,
    DateOnly? DateOfBirth,
    PlacementInput? Placement,
    string? AssignedWorkerId,
    bool? ConfirmDistinct = null) : ICommand<CaseView>;


public sealed class OpenCaseValidator : AbstractValidator<OpenCaseRequest>
{
    public static readonly Bilingual BornInTheFuture = new("The date of birth cannot be in the future.", "La date de naissance ne peut pas être dans le futur.");
    public static readonly Bilingual NotAMinor = new("The cell follows minors only: this person is 18 or older.", "La cellule ne suit que des mineur·es : cette personne a 18 ans ou plus.");

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
        RuleFor(r => r.Placement).NotEmpty().SetValidator(new PlacementInputValidator()!);
        RuleFor(r => r.AssignedWorkerId).NotEmpty().MaximumLength(100).WhenPresent(); // absent: the caller
    }

    private static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
}

public sealed class OpenCaseHandler(CaseStreams cases, CurrentUser user, TimeProvider clock, DuplicateCandidates duplicates)
    : ICommandHandler<OpenCaseRequest, CaseView>
{
    /// <summary>The head assigns cases (DOMAIN.md §1): a worker opens a case for themselves.</summary>
    public static readonly Refusal OnlyTheHeadAssignsAnother = new("only-head-assigns",
        new("Only the service head opens a case assigned to another worker.", "Seul·e la cheffe ou le chef de service ouvre un dossier attribué à un·e autre intervenant·e."),
        RefusalKind.Forbidden);

    public async ValueTask<CaseView> Handle(OpenCaseRequest request, CancellationToken cancellationToken)
    {
        if (request.AssignedWorkerId is { } assignee && assignee != user.UserId && !user.IsHead) throw new RefusedException(OnlyTheHeadAssignsAnother);
        var caseId = Guid.CreateVersion7(clock.GetUtcNow());
        var minor = new MinorIdentity(request.FirstName!.Trim(), request.LastName!.Trim(), request.DateOfBirth!.Value);
        var candidates = await duplicates.FindAsync(minor, cancellationToken);
        try
        {
            var written = await cases.StartAsync(caseId, (by, now) => new OpenCase(
                caseId, minor, request.Placement!.ToPlacement(), request.AssignedWorkerId ?? user.UserId, by, now,
                [.. candidates.Select(c => c.CaseId)], request.ConfirmDistinct ?? false), cancellationToken);
            return CaseView.Of(written.State, clock.GetUtcNow());
        }
        catch (RefusedException refused) when (refused.Refusal == CaseRefusals.ProbableDuplicate)
        {
            await duplicates.JournalShownAsync(candidates, cancellationToken);
            throw new ProbableDuplicateException(refused.Refusal, candidates);
        }
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
