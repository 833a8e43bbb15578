using Pare.Cell.Api.Cases.Listing;
using Pare.Cell.Api.Cases.Opening;
using Pare.Cell.Api.Cases.Reading;
using Pare.Cell.Api.Infrastructure.Auth;

namespace Pare.Cell.Api.Cases;

public static class CasesApi
{
    public static IEndpointRouteBuilder MapCasesApi(this IEndpointRouteBuilder app)
    {
        var cases = app.MapGroup("/api/v1/cases")
            .WithTags("Cases")
            .RequireAuthorization(Policies.CaseWork);

        cases.MapPost("/", OpeningEndpoint.Handle)
            .WithName("OpenCase")
            .WithSummary("Open a case for a minor")
            .WithDescription("Creates the case's event stream. Answers 201 with the case, its Location and ETag.");
        cases.MapGet("/{caseId:guid}", ReadingEndpoint.Handle)
            .WithName("GetCase")
            .WithSummary("Read a case")
            .WithDescription("The case's current state, with its ETag. Every read is written to the access journal.");
        cases.MapGet("/", ListingEndpoint.Handle)
            .WithName("ListCases")
            .WithSummary("List the cell's cases")
            .WithDescription("Ordered by opening, oldest first, stable across pages. Pass `nextCursor` back as `cursor` for the next page.");
        return app;
    }
}
