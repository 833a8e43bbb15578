using Pare.Cell.Api.Infrastructure.OpenApi;
using Mediator;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Http;
using static Pare.Cell.Api.Cases.Answers;

namespace Pare.Cell.Api.OnCall;

/// <summary>
/// <c>/api/v1/on-call</c>: who is on call (astreinte) now and next, and the rota behind it. Cell
/// members read; the head defines the rota (If-Match with its version, 0 before the first).
/// </summary>
public static class OnCallApi
{
    public static IEndpointRouteBuilder MapOnCallApi(this IEndpointRouteBuilder app)
    {
        var onCall = app.MapGroup("/api/v1/on-call").WithTag("On call", "The head's rota in Paris time, and who is on call now and next.").RequireAuthorization(AccessPolicies.CellMember);

        onCall.MapGet("/", async (IMediator mediator, CancellationToken ct) => TypedResults.Ok(await mediator.Send(new GetOnCall(), ct)))
            .WithName("GetOnCall").WithSummary("Who is on call now and next (name, phone, from, until), and the gaps of the next 7 days");
        onCall.MapGet("/rota", async (IMediator mediator, HttpContext http, CancellationToken ct) =>
            {
                var rota = await mediator.Send(new GetRota(), ct);
                return Tagged(http, rota.Version, rota);
            })
            .Versioned().WithName("GetOnCallRota").WithSummary("The weekly pattern, the exceptions and the office hours, in Paris time");
        onCall.MapPut("/rota", async (DefineRotaRequest body, IMediator mediator, HttpContext http, CancellationToken ct) =>
            {
                var rota = await mediator.Send(body with { ExpectedVersion = IfMatch.ExpectedVersionOrZero(http) }, ct);
                return Tagged(http, rota.Version, rota);
            })
            .RequireAuthorization(AccessPolicies.HeadOnly)
            .Versioned(IfMatchUse.Required).WithName("DefineOnCallRota").WithSummary("Define who is on call when (head): weekly shifts, exceptions, office hours");
        return app;
    }
}
