using Pare.Cell.Api.Infrastructure.OpenApi;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Pare.Cell.Api.Episodes.Closing;
using Pare.Cell.Api.Episodes.Contacts;
using Pare.Cell.Api.Episodes.History;
using Pare.Cell.Api.Episodes.Information;
using Pare.Cell.Api.Episodes.Reading;
using Pare.Cell.Api.Episodes.Reporting;
using Pare.Cell.Api.Episodes.Returning;
using Pare.Cell.Api.Episodes.Sightings;
using Pare.Cell.Api.Episodes.Worrying;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Http;
using static Pare.Cell.Api.Cases.Answers;

namespace Pare.Cell.Api.Episodes;

/// <summary>
/// Routes of <c>/api/v1/cases/{caseId}/episodes</c>: a runaway from report to return. These are
/// appends, logged as things happen: If-Match is optional (checked when sent); a racing writer
/// still gets a 409 rather than a silent overwrite.
/// </summary>
public static class EpisodesApi
{
    public static IEndpointRouteBuilder MapEpisodesApi(this IEndpointRouteBuilder app)
    {
        var episodes = app.MapGroup("/api/v1/cases/{caseId:guid}/episodes").WithTag("Runaway episodes", "From the report of a runaway to the return: contacts, sightings, new information, the worrying classification and its alert, past episodes recorded after the fact.").RequireAuthorization(AccessPolicies.CaseWork);

        episodes.MapPost("/", async (Guid caseId, ReportRunawayRequest body, HttpContext http, IMediator mediator, CancellationToken ct) =>
            {
                var recorded = await mediator.Send(body with { CaseId = caseId, ExpectedVersion = IfMatch.ExpectedVersion(http, required: false) }, ct);
                return Recorded(http, recorded, EpisodeUrl(caseId, recorded.EpisodeId!.Value));
            })
            .Versioned(IfMatchUse.Optional).WithName("ReportRunaway").WithSummary("Report a runaway: opens an episode")
            .WithDescription("409 while the minor is still missing (an episode without a return).");
        app.MapPost("/api/v1/cases/{caseId:guid}/past-episodes", async (Guid caseId, RecordPastEpisodeRequest body, HttpContext http, IMediator mediator, CancellationToken ct) =>
            {
                var recorded = await mediator.Send(body with { CaseId = caseId, ExpectedVersion = IfMatch.ExpectedVersion(http, required: false) }, ct);
                return Recorded(http, recorded, EpisodeUrl(caseId, recorded.EpisodeId!.Value));
            })
            .WithTags("Runaway episodes").RequireAuthorization(AccessPolicies.CaseWork)
            .Versioned(IfMatchUse.Optional).WithName("RecordPastEpisode").WithSummary("Record a past runaway after the fact, with its start and end")
            .WithDescription("Counts in the case's facts and the 3-in-30 review; raises no alert, found notice, contact reminder or return interview. "
                + "409 when it overlaps another episode.");
        episodes.MapGet("/", async Task<Results<Ok<IReadOnlyList<EpisodeSummaryView>>, NotFound>> (Guid caseId, IMediator mediator, CancellationToken ct) =>
                await mediator.Send(new ListEpisodes(caseId), ct) is { } list ? TypedResults.Ok(list) : TypedResults.NotFound())
            .WithName("ListEpisodes").WithSummary("The case's episodes, most recent first (journaled)");
        episodes.MapGet("/{episodeId:guid}", async Task<Results<Ok<EpisodeView>, NotFound>> (Guid caseId, Guid episodeId, IMediator mediator, HttpContext http, CancellationToken ct) =>
                await mediator.Send(new GetEpisode(caseId, episodeId), ct) is { } episode ? Tagged(http, episode.CaseVersion, episode) : TypedResults.NotFound())
            .Versioned().WithName("GetEpisode").WithSummary("One episode in full (journaled)");

        MapEntry<LogContactRequest>(episodes, "contacts", "LogContact", "Log a contact or contact attempt (minor, family, peers, professionals)");
        MapEntry<ReportSightingRequest>(episodes, "sightings", "ReportSighting", "Report a sighting of the missing minor");
        MapEntry<AddEpisodeInformationRequest>(episodes, "information", "AddEpisodeInformation", "Add new information to the episode");
        MapEntry<RecordReturnRequest>(episodes, "return", "RecordReturn", "Record the minor's return")
            .WithDescription("409 when the return is earlier than the last-seen time or already recorded.");
        MapEntry<CloseEpisodeRequest>(episodes, "closure", "CloseEpisode", "Close a returned episode");
        MapEntry<FlagWorryingRequest>(episodes, "worrying", "FlagWorrying", "Flag the disappearance as worrying (reason required): alerts the prosecutor")
            .WithDescription("The alert is committed with the flag and leaves within seconds. 409 when already worrying or the minor has returned.");
        MapEntry<LowerClassificationRequest>(episodes, "classification", "LowerClassification", "Lower a worrying classification (head only, reason required)")
            .RequireAuthorization(AccessPolicies.HeadOnly);
        return app;
    }

    private static RouteHandlerBuilder MapEntry<TRequest>(RouteGroupBuilder episodes, string path, string name, string summary)
        where TRequest : EpisodeRequest, ICommand<Cases.EntryRecorded> =>
        episodes.MapPost($"/{{episodeId:guid}}/{path}", async (Guid caseId, Guid episodeId, TRequest body, HttpContext http, IMediator mediator, CancellationToken ct) =>
            {
                var request = body with { CaseId = caseId, EpisodeId = episodeId, ExpectedVersion = IfMatch.ExpectedVersion(http, required: false) };
                return Recorded(http, await mediator.Send(request, ct), EpisodeUrl(caseId, episodeId));
            })
            .Versioned(IfMatchUse.Optional).WithName(name).WithSummary(summary);

    private static string EpisodeUrl(Guid caseId, Guid episodeId) => $"/api/v1/cases/{caseId}/episodes/{episodeId}";
}
