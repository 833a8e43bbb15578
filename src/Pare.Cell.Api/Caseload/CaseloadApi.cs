using Pare.Cell.Api.Infrastructure.OpenApi;
using Mediator;
using Pare.Cell.Api.Infrastructure.Auth;

namespace Pare.Cell.Api.Caseload;

/// <summary>What a service head runs the cell with: caseload, open episodes, figures and the observatory export.</summary>
public static class CaseloadApi
{
    public static IEndpointRouteBuilder MapCaseloadApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1").WithTag("Caseload and figures", "What the head runs the cell with: caseload per worker, minors missing right now, figures over a period and the observatory exports (no names).");

        group.MapGet("/caseload", async (IMediator mediator, [AsParameters] GetCaseload query, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(query, ct)))
            .RequireAuthorization(AccessPolicies.HeadOnly)
            .WithName("GetCaseload").WithSummary("Per worker: open cases, open episodes, overdue reminders, cases at risk, last activity; cell totals (head)")
            .WithDescription("`sort` = worker | openCases | openEpisodes | overdueReminders | atRiskOrInSituation | lastActivity; `descending`, `worker`, `withOpenEpisodesOnly` filter. `freshness.asOfSequence` is the last event included.");
        group.MapGet("/open-episodes", async (IMediator mediator, CancellationToken ct) => TypedResults.Ok(await mediator.Send(new GetOpenEpisodes(), ct)))
            .RequireAuthorization(AccessPolicies.CaseWork)
            .WithName("GetOpenEpisodes").WithSummary("Right now: every minor missing, for how long, classification, alert state, worker");
        group.MapGet("/figures", async (IMediator mediator, CancellationToken ct, DateOnly? from = null, DateOnly? to = null) =>
                TypedResults.Ok(await mediator.Send(new GetFigures(from, to), ct)))
            .RequireAuthorization(AccessPolicies.HeadOnly)
            .WithName("GetFigures").WithSummary("Cell figures over [from, to): episodes, minors, share at risk, durations, 72 h interview compliance, alerts (head)");
        group.MapGet("/figures/export.csv", async (IMediator mediator, CancellationToken ct, DateOnly? from = null, DateOnly? to = null) =>
                Results.Text(await mediator.Send(new ExportFigures(from, to, Episodes: false), ct), "text/csv; charset=utf-8"))
            .RequireAuthorization(AccessPolicies.HeadOnly)
            .Produces<string>(contentType: "text/csv")
            .WithName("ExportFigures").WithSummary("The figures as CSV, for the observatory (no names, no dates of birth)");
        group.MapGet("/figures/episodes.csv", async (IMediator mediator, CancellationToken ct, DateOnly? from = null, DateOnly? to = null) =>
                Results.Text(await mediator.Send(new ExportFigures(from, to, Episodes: true), ct), "text/csv; charset=utf-8"))
            .RequireAuthorization(AccessPolicies.HeadOnly)
            .Produces<string>(contentType: "text/csv")
            .WithName("ExportEpisodes").WithSummary("One row per episode as CSV: pseudonym, age band, dates, duration, outcome (no names, no dates of birth)");
        return app;
    }
}
