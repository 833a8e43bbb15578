using Pare.Cell.Api.Infrastructure.OpenApi;
using Mediator;
using Pare.Cell.Api.Infrastructure.Auth;

namespace Pare.Cell.Api.Search;

/// <summary>Route of <c>/api/v1/search</c>: find a minor by name, alias, phone, handle or reference.</summary>
public static class SearchApi
{
    public static IEndpointRouteBuilder MapSearchApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/search", async (SearchCasesRequest body, IMediator mediator, CancellationToken ct) => TypedResults.Ok(await mediator.Send(body, ct)))
            .RequireAuthorization(AccessPolicies.CaseWork).WithTag("Search", "One box for names, aliases, phones, handles and references, tolerant of typos and accents (journaled without its text).")
            .WithName("SearchCases").WithSummary("Find a minor: name, alias, phone (any format), handle or case reference")
            .WithDescription("Accent-, case- and typo-tolerant; best first, each with the terms that matched. The query goes in the body, never the URL. "
                + "Each case shown is journaled (`search.result`), and the search itself (who, when, kind of query, result count, a keyed digest of the query).");
        return app;
    }
}
