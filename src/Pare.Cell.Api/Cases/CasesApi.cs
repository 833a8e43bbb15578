using Pare.Cell.Api.Infrastructure.OpenApi;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Pare.Cell.Api.Cases.Assignment;
using Pare.Cell.Api.Cases.Closing;
using Pare.Cell.Api.Cases.Corrections;
using Pare.Cell.Api.Cases.Guardians;
using Pare.Cell.Api.Cases.Listing;
using Pare.Cell.Api.Cases.Opening;
using Pare.Cell.Api.Cases.Placements;
using Pare.Cell.Api.Cases.Profile;
using Pare.Cell.Api.Cases.Reading;
using Pare.Cell.Api.Cases.Timeline;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Http;
using static Pare.Cell.Api.Cases.Answers;

namespace Pare.Cell.Api.Cases;

/// <summary>Routes of <c>/api/v1/cases</c>: the case, its profile, its timeline and corrections.</summary>
public static class CasesApi
{
    public static IEndpointRouteBuilder MapCasesApi(this IEndpointRouteBuilder app)
    {
        var cases = app.MapGroup("/api/v1/cases").WithTag("Cases", "A minor's case: opening, assignment, placement, guardians, closure and reopening, the versioned profile, the timeline and corrections.").RequireAuthorization(AccessPolicies.CaseWork);

        cases.MapPost("/", OpeningEndpoint.Handle)
            .Versioned().WithName("OpenCase").WithSummary("Open a case for a minor")
            .WithDescription("Creates the case's event stream. Answers 201 with the case, its Location and ETag.");
        cases.MapGet("/{caseId:guid}", ReadingEndpoint.Handle)
            .Versioned().WithName("GetCase").WithSummary("Read a case")
            .WithDescription("The case's current state and derived facts (episode counts, time missing, current episode), with its ETag. Journaled.");
        cases.MapGet("/", ListingEndpoint.Handle)
            .WithName("ListCases").WithSummary("List the cell's cases")
            .WithDescription("Filter by `worker`, `status` (open/closed) and `hasOpenEpisode`. Ordered by opening, oldest first, stable across pages. Pass `nextCursor` back as `cursor`. Journaled.");

        cases.MapPut("/{caseId:guid}/assignment", (Guid caseId, AssignWorkerRequest body, HttpContext http, IMediator mediator, CancellationToken ct) =>
                Updated(http, mediator.Send(body with { CaseId = caseId, ExpectedVersion = IfMatch.ExpectedVersion(http, required: true) }, ct)))
            .RequireAuthorization(AccessPolicies.HeadOnly)
            .Versioned(IfMatchUse.Required).WithName("AssignWorker").WithSummary("Assign or reassign the case's worker (head only)");
        // The body is a placement, the same shape (and schema) as an opening's `placement`.
        cases.MapPut("/{caseId:guid}/placement", (Guid caseId, PlacementInput body, HttpContext http, IMediator mediator, CancellationToken ct) =>
                Updated(http, mediator.Send(new ChangePlacementRequest(body.Kind, body.Establishment) { CaseId = caseId, ExpectedVersion = IfMatch.ExpectedVersion(http, required: true) }, ct)))
            .Versioned(IfMatchUse.Required).WithName("ChangePlacement").WithSummary("Change the minor's placement situation");
        cases.MapPut("/{caseId:guid}/guardians", (Guid caseId, UpdateGuardianContactsRequest body, HttpContext http, IMediator mediator, CancellationToken ct) =>
                Updated(http, mediator.Send(body with { CaseId = caseId, ExpectedVersion = IfMatch.ExpectedVersion(http, required: true) }, ct)))
            .Versioned(IfMatchUse.Required).WithName("UpdateGuardianContacts").WithSummary("Replace the parents' and guardians' contacts");
        cases.MapPost("/{caseId:guid}/closure", (Guid caseId, CloseCaseRequest body, HttpContext http, IMediator mediator, CancellationToken ct) =>
                Updated(http, mediator.Send(body with { CaseId = caseId, ExpectedVersion = IfMatch.ExpectedVersion(http, required: true) }, ct)))
            .RequireAuthorization(AccessPolicies.HeadOnly)
            .Versioned(IfMatchUse.Required).WithName("CloseCase").WithSummary("Close the case with a reason (head only)")
            .WithDescription("Refused (409) while the minor is missing.");
        cases.MapPost("/{caseId:guid}/reopening", (Guid caseId, ReopenCaseRequest body, HttpContext http, IMediator mediator, CancellationToken ct) =>
                Updated(http, mediator.Send(body with { CaseId = caseId, ExpectedVersion = IfMatch.ExpectedVersion(http, required: true) }, ct)))
            .RequireAuthorization(AccessPolicies.HeadOnly)
            .Versioned(IfMatchUse.Required).WithName("ReopenCase").WithSummary("Reopen a closed case (head only)");

        cases.MapGet("/{caseId:guid}/profile", async Task<Results<Ok<MinorProfileHistory>, NotFound>> (Guid caseId, IMediator mediator, HttpContext http, CancellationToken ct) =>
                await mediator.Send(new GetMinorProfile(caseId), ct) is { } profile ? Tagged(http, profile.Current.CaseVersion, profile) : TypedResults.NotFound())
            .Versioned().WithName("GetMinorProfile").WithSummary("Read the minor's profile and its history (journaled)");
        cases.MapPut("/{caseId:guid}/profile", async (Guid caseId, UpdateMinorProfileRequest body, HttpContext http, IMediator mediator, CancellationToken ct) =>
            {
                var view = await mediator.Send(body with { CaseId = caseId, ExpectedVersion = IfMatch.ExpectedVersion(http, required: true) }, ct);
                return Tagged(http, view.CaseVersion, view);
            })
            .Versioned(IfMatchUse.Required).WithName("UpdateMinorProfile").WithSummary("Replace the minor's profile with a new version");

        cases.MapGet("/{caseId:guid}/timeline", async Task<Results<Ok<CaseTimeline>, NotFound>> (Guid caseId, IMediator mediator, CancellationToken ct) =>
                await mediator.Send(new GetTimeline(caseId), ct) is { } timeline ? TypedResults.Ok(timeline) : TypedResults.NotFound())
            .WithName("GetCaseTimeline").WithSummary("Every event of the case, in order, with who and when (journaled)");
        cases.MapPost("/{caseId:guid}/corrections", async (Guid caseId, CorrectEntryRequest body, HttpContext http, IMediator mediator, CancellationToken ct) =>
                Recorded(http, await mediator.Send(body with { CaseId = caseId, ExpectedVersion = IfMatch.ExpectedVersion(http, required: false) }, ct), $"/api/v1/cases/{caseId}/timeline"))
            .Versioned(IfMatchUse.Optional).WithName("CorrectEntry").WithSummary("Correct a mistaken entry; the original stays on the timeline");
        return app;
    }
}

/// <summary>The shapes of successful write answers, shared by the case and episode routes.</summary>
public static class Answers
{
    public static async Task<Ok<CaseView>> Updated(HttpContext http, ValueTask<CaseView> update)
    {
        var view = await update;
        return Tagged(http, view.Version, view);
    }

    public static Ok<T> Tagged<T>(HttpContext http, long version, T body)
    {
        ETags.Set(http, version);
        return TypedResults.Ok(body);
    }

    public static Created<EntryRecorded> Recorded(HttpContext http, EntryRecorded recorded, string location)
    {
        ETags.Set(http, recorded.Version);
        return TypedResults.Created(location, recorded);
    }
}
