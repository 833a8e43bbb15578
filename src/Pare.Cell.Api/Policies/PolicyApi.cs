using Pare.Cell.Api.Infrastructure.OpenApi;
using Mediator;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Http;
using static Pare.Cell.Api.Cases.Answers;

namespace Pare.Cell.Api.Policies;

/// <summary>
/// <c>/api/v1/policy</c>: the cell's worrying-disappearance criteria, alert routing and reminder delays. Every
/// member reads it; heads and admins change it (If-Match with the policy version, 0 before any change).
/// </summary>
public static class PolicyApi
{
    public static IEndpointRouteBuilder MapPolicyApi(this IEndpointRouteBuilder app)
    {
        var policy = app.MapGroup("/api/v1/policy").WithTag("Cell policy", "The cell's worrying-disappearance criteria, alert routing and reminder delays: read by every member, changed by heads and admins.").RequireAuthorization(AccessPolicies.CellMember);

        policy.MapGet("/", async (IMediator mediator, HttpContext http, CancellationToken ct) =>
            {
                var view = await mediator.Send(new GetCellPolicy(), ct);
                return Tagged(http, view.Version, view);
            })
            .Versioned().WithName("GetCellPolicy").WithSummary("The cell's worrying-disappearance criteria and alert routing");
        policy.MapPut("/criteria", async (Domain.Policies.WorryingCriteria body, IMediator mediator, HttpContext http, CancellationToken ct) =>
            {
                var view = await mediator.Send(new UpdateWorryingCriteria(body, IfMatch.ExpectedVersionOrZero(http)), ct);
                return Tagged(http, view.Version, view);
            })
            .AddEndpointFilter<ValidateBody<Domain.Policies.WorryingCriteria>>()
            .RequireAuthorization(AccessPolicies.PolicyEditor)
            .Versioned(IfMatchUse.Required).WithName("UpdateWorryingCriteria").WithSummary("Change which criteria make a disappearance worrying (head, admin)");
        // Alert routing carries the minor's full description to wherever it points: the head's alone.
        policy.MapPut("/alert-routing", async (AlertRoutingInput body, IMediator mediator, HttpContext http, CancellationToken ct) =>
            {
                var view = await mediator.Send(new UpdateAlertRouting(body.ProsecutorEmail, body.OnCall, body.HeadEmail, body.WebhookUrl, body.WebhookSecret,
                    body.DeliveryDeadlineMinutes, body.AcknowledgementDeadlineMinutes, IfMatch.ExpectedVersionOrZero(http)), ct);
                return Tagged(http, view.Version, view);
            })
            .AddEndpointFilter<ValidateBody<AlertRoutingInput>>()
            .RequireAuthorization(AccessPolicies.HeadOnly)
            .Versioned(IfMatchUse.Required).WithName("UpdateAlertRouting").WithSummary("Set the prosecutor contact, on-call contact, head contact and optional webhook (head only: separation of duties)");
        policy.MapPut("/reminders", async (Domain.Reminders.ReminderSettings body, IMediator mediator, HttpContext http, CancellationToken ct) =>
            {
                var view = await mediator.Send(new UpdateReminderSettings(body, IfMatch.ExpectedVersionOrZero(http)), ct);
                return Tagged(http, view.Version, view);
            })
            .AddEndpointFilter<ValidateBody<Domain.Reminders.ReminderSettings>>()
            .RequireAuthorization(AccessPolicies.PolicyEditor)
            .Versioned(IfMatchUse.Required).WithName("UpdateReminderSettings").WithSummary("Set the delays of the reminder rules (head, admin); the acknowledgement delay follows the alert routing");
        return app;
    }
}

public sealed record AlertRoutingInput(
    string? ProsecutorEmail, Domain.Policies.OnCallContact? OnCall, string? HeadEmail, string? WebhookUrl, string? WebhookSecret,
    int? DeliveryDeadlineMinutes, int? AcknowledgementDeadlineMinutes);
