using Pare.Cell.Api.Infrastructure.OpenApi;
using FluentValidation;
using Pare.Cell.Api.Infrastructure.Messaging;
using System.Net;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Database;
using Pare.Cell.Domain.Alerts;
using Pare.Cell.Domain.Common;

namespace Pare.Cell.Api.Alerts;

/// <summary>
/// <c>/api/v1/alerts</c>: the head's list of prosecutor alerts, and the acknowledgement link the
/// prosecutor's office opens from the e-mail (no account: the link's signature is the credential).
/// </summary>
public static class AlertsApi
{
    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder app)
    {
        var alerts = app.MapGroup("/api/v1/alerts").WithTag("Prosecutor alerts", "Alerts sent to the prosecutor's office when a disappearance becomes worrying: the head's list, and the signed acknowledgement link the office opens from the e-mail.");

        alerts.MapGet("/", async Task<Results<Ok<IReadOnlyList<AlertView>>, ValidationProblem>> (Mediator.IMediator mediator, [AsParameters] AlertListQuery query, CancellationToken ct) =>
            {
                // As the JSON writes it ("delivered"): the enum binder wanted "Delivered" and took "99".
                var wanted = Infrastructure.Http.EnumNames.Parse<AlertStatus>(query.Status);
                if (query.Status is not null && wanted is null)
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = [Infrastructure.Http.Problems.InvalidValue.ToString()] });
                return TypedResults.Ok(await mediator.Send(new ListAlerts(wanted), ct));
            })
            .AddEndpointFilter<Infrastructure.Http.ValidateBody<AlertListQuery>>()
            .RequireAuthorization(AccessPolicies.HeadOnly)
            .WithName("ListAlerts").WithSummary("Prosecutor alerts of the cell with their state and times (head)")
            .WithDescription("The latest 500, newest first; `status` = pending | delivered | acknowledged | escalated filters them.");

        alerts.MapGet("/{alertId:guid}/acknowledgement", (Guid alertId, [AsParameters] AcknowledgementLink link, AlertLinks links) =>
                links.IsValid(link.Cell!, link.Case!.Value, alertId, link.Expires!.Value, link.Signature!)
                    ? Results.Content(AcknowledgementPages.Confirm(alertId), "text/html; charset=utf-8")
                    : Results.NotFound())
            .AddEndpointFilter<Infrastructure.Http.ValidateBody<AcknowledgementLink>>()
            .Produces<string>(StatusCodes.Status200OK, "text/html")
            .AllowAnonymous()
            .WithName("ShowAlertAcknowledgement").WithSummary("The page an acknowledgement link opens: a button to confirm (mail scanners that follow links acknowledge nothing)");

        alerts.MapPost("/{alertId:guid}/acknowledgement", async Task<Results<ContentHttpResult, NotFound>> (
                Guid alertId, [AsParameters] AcknowledgementLink link, AlertLinks links, IDocumentStore store, CaseWriter cases, CancellationToken ct) =>
            {
                if (!links.IsValid(link.Cell!, link.Case!.Value, alertId, link.Expires!.Value, link.Signature!)) return TypedResults.NotFound();
                await using var session = store.LightweightSession(link.Cell!);
                await cases.DecideAsync(session, ProsecutorOffice, link.Case.Value, null, (by, now) => new AcknowledgeAlert(alertId, by, now), ct);
                return TypedResults.Content(AcknowledgementPages.Thanks(alertId), "text/html; charset=utf-8");
            })
            .AddEndpointFilter<Infrastructure.Http.ValidateBody<AcknowledgementLink>>()
            .Produces<string>(StatusCodes.Status200OK, "text/html")
            .AllowAnonymous()
            .DisableAntiforgery()
            .WithName("AcknowledgeAlert").WithSummary("Acknowledge a prosecutor alert through its signed, expiring link");
        return app;
    }

    private static readonly Actor ProsecutorOffice = new("prosecutor-office", ActorKind.Prosecutor);
}

/// <param name="Status">Only the alerts in this state.</param>
public sealed record AlertListQuery(string? Status);

public sealed class AlertListQueryValidator : AbstractValidator<AlertListQuery>
{
    public AlertListQueryValidator() => RuleFor(q => q.Status).EnumName<AlertListQuery, AlertStatus>();
}

/// <summary>The query of an acknowledgement link, as the e-mail gives it (<see cref="AlertLinks"/>): its signature is the credential.</summary>
public sealed record AcknowledgementLink(string? Cell, Guid? Case, long? Expires, string? Signature);

public sealed class AcknowledgementLinkValidator : AbstractValidator<AcknowledgementLink>
{
    public AcknowledgementLinkValidator()
    {
        RuleFor(l => l.Cell).NotEmpty().MaximumLength(100);
        RuleFor(l => l.Case).NotEmpty();
        // Any wrong but well-formed link is a 404, whatever is wrong with it: only absurd values are a 400.
        RuleFor(l => l.Expires).NotNull().InclusiveBetween(0, long.MaxValue);
        RuleFor(l => l.Signature).NotEmpty().MaximumLength(100);
    }
}

internal static class AcknowledgementPages
{
    public static string Confirm(Guid alertId) => Page($"""
        <h1>Accusé de réception</h1>
        <p>Signalement de disparition inquiétante <code>{alertId}</code>.</p>
        <form method="post"><button type="submit">Accuser réception</button></form>
        """);

    public static string Thanks(Guid alertId) => Page($"""
        <h1>Merci</h1>
        <p>La réception du signalement <code>{alertId}</code> est enregistrée. La cellule en est informée.</p>
        """);

    private static string Page(string body) =>
        $"<!doctype html><html lang=\"fr\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>Pare.Cell</title></head><body>{body}</body></html>";
}
