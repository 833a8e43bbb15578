using Pare.Cell.Api.Infrastructure.OpenApi;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Http;
using static Pare.Cell.Api.Cases.Answers;

namespace Pare.Cell.Api.Staff;

/// <summary>
/// <c>/api/v1/staff</c>: the cell's staff directory. Cell members read it and keep their own contact
/// current (<c>…/me</c>, If-Match with the version read); a head deactivates and reactivates.
/// Partners' clients are not cell members: 403.
/// </summary>
public static class StaffApi
{
    public static IEndpointRouteBuilder MapStaffApi(this IEndpointRouteBuilder app)
    {
        var staff = app.MapGroup("/api/v1/staff").WithTag("Staff directory", "Everyone who signed in to the cell, their professional phone and e-mail; the head deactivates and reactivates members.").RequireAuthorization(AccessPolicies.CellMember);

        staff.MapGet("/", async (IMediator mediator, CancellationToken ct) => TypedResults.Ok(await mediator.Send(new GetStaffDirectory(), ct)))
            .WithName("GetStaffDirectory").WithSummary("Everyone who signed in to the cell, with their professional phone (E.164) and e-mail");
        staff.MapGet("/me", async Task<Results<Ok<StaffMember>, NotFound>> (IMediator mediator, HttpContext http, CancellationToken ct) =>
                await mediator.Send(new GetMyStaffEntry(), ct) is { } me ? Tagged(http, me.Version, me) : TypedResults.NotFound())
            .Versioned().WithName("GetMyStaffEntry").WithSummary("My entry in the directory, with its ETag");
        staff.MapPut("/me/contact", async Task<Results<Ok<StaffMember>, NotFound>> (UpdateMyContact body, IMediator mediator, HttpContext http, CancellationToken ct) =>
                await mediator.Send(body with { ExpectedVersion = IfMatch.ExpectedVersion(http, required: true)!.Value }, ct) is { } me
                    ? Tagged(http, me.Version, me) : TypedResults.NotFound())
            .Versioned(IfMatchUse.Required).WithName("UpdateMyContact").WithSummary("Set my professional phone and e-mail (null clears one)");
        staff.MapPost("/{staffId:maxlength(200)}/deactivation", (string staffId, HttpContext http, IMediator mediator, CancellationToken ct) => Change(staffId, false, http, mediator, ct))
            .RequireAuthorization(AccessPolicies.HeadOnly)
            .Versioned().WithName("DeactivateStaffMember").WithSummary("Deactivate someone (head): their cases show nobody reachable and the head is reminded to reassign them");
        staff.MapPost("/{staffId:maxlength(200)}/reactivation", (string staffId, HttpContext http, IMediator mediator, CancellationToken ct) => Change(staffId, true, http, mediator, ct))
            .RequireAuthorization(AccessPolicies.HeadOnly)
            .Versioned().WithName("ReactivateStaffMember").WithSummary("Reactivate someone (head): the cases not reassigned since are theirs again");
        return app;
    }

    private static async Task<Results<Ok<StaffMember>, NotFound>> Change(string staffId, bool active, HttpContext http, IMediator mediator, CancellationToken ct) =>
        await mediator.Send(new ChangeAvailability(staffId, active), ct) is { } member ? Tagged(http, member.Version, member) : TypedResults.NotFound();

    /// <summary>Records each member's sign-in on their first request to this process (see <see cref="StaffDirectory"/>).</summary>
    public static IApplicationBuilder UseStaffSignIn(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.User.Identity?.IsAuthenticated == true)
            await http.RequestServices.GetRequiredService<StaffDirectory>().RecordSignInAsync(http.User, http.RequestAborted);
        await next(http);
    });
}
