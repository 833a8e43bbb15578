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
        var alerts = app.MapGroup("/api/v1/alerts").WithTags("Prosecutor alerts");

        alerts.MapGet("/", async Task<Results<Ok<IReadOnlyList<AlertView>>, ValidationProblem>> (Mediator.IMediator mediator, CancellationToken ct, string? status = null) =>
            {
                // As the JSON writes it ("delivered"): the enum binder wanted "Delivered" and took "99".
                var wanted = Infrastructure.Http.EnumNames.Parse<AlertStatus>(status);
                if (status is not null && wanted is null)
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = [Infrastructure.Http.Problems.InvalidValue.ToString()] });
                return TypedResults.Ok(await mediator.Send(new ListAlerts(wanted), ct));
            })
            .RequireAuthorization(AccessPolicies.HeadOnly)
            .WithName("ListAlerts").WithSummary("Prosecutor alerts of the cell with their state and times (head)")
            .WithDescription("The latest 500, newest first; `status` = pending | delivered | acknowledged | escalated filters them.");

        alerts.MapGet("/{alertId:guid}/acknowledgement", (Guid alertId, string cell, Guid @case, long expires, string signature, AlertLinks links) =>
                links.IsValid(cell, @case, alertId, expires, signature)
                    ? Results.Content(AcknowledgementPages.Confirm(alertId), "text/html; charset=utf-8")
                    : Results.NotFound())
            .AllowAnonymous()
            .WithName("ShowAlertAcknowledgement").WithSummary("The page an acknowledgement link opens: a button to confirm (mail scanners that follow links acknowledge nothing)");

        alerts.MapPost("/{alertId:guid}/acknowledgement", async Task<Results<ContentHttpResult, NotFound>> (
                Guid alertId, string cell, Guid @case, long expires, string signature, AlertLinks links, IDocumentStore store, CaseWriter cases, CancellationToken ct) =>
            {
                if (!links.IsValid(cell, @case, alertId, expires, signature)) return TypedResults.NotFound();
                await using var session = store.LightweightSession(cell);
                await cases.DecideAsync(session, ProsecutorOffice, @case, null, (by, now) => new AcknowledgeAlert(alertId, by, now), ct);
                return TypedResults.Content(AcknowledgementPages.Thanks(alertId), "text/html; charset=utf-8");
            })
            .AllowAnonymous()
            .DisableAntiforgery()
            .WithName("AcknowledgeAlert").WithSummary("Acknowledge a prosecutor alert through its signed, expiring link");
        return app;
    }

    private static readonly Actor ProsecutorOffice = new("prosecutor-office", ActorKind.Prosecutor);
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
