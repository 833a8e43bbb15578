using Pare.Cell.Api.Infrastructure.OpenApi;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Episodes.Reporting;
using Pare.Cell.Api.Episodes.Returning;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Http;
using static Pare.Cell.Api.Cases.Answers;

namespace Pare.Cell.Api.Referrals;

/// <summary>Referrals (orientations): the cell's side under /cases and /referrals, the partner's under /partner.</summary>
public static class ReferralsApi
{
    public static IEndpointRouteBuilder MapReferralsApi(this IEndpointRouteBuilder app)
    {
        var cell = app.MapGroup("/api/v1").WithTag("Referrals", "Referrals (orientations) as the cell drafts, sends, cancels and revokes them; what each shares, and on which ground (consent or legal basis).").RequireAuthorization(AccessPolicies.CaseWork);
        cell.MapPost("/cases/{caseId:guid}/referrals", async (Guid caseId, DraftReferralRequest body, IMediator mediator, HttpContext http, CancellationToken ct) =>
            {
                var view = await mediator.Send(body with { CaseId = caseId }, ct);
                ETags.Set(http, view.Version);
                return TypedResults.Created($"/api/v1/referrals/{view.Id}", view);
            })
            .Versioned().WithName("DraftReferral").WithSummary("Draft a referral to a partner: what it shares, on which ground");
        cell.MapGet("/cases/{caseId:guid}/referrals", async Task<Results<Ok<IReadOnlyList<ReferralView>>, NotFound>> (Guid caseId, IMediator mediator, CancellationToken ct) =>
                await mediator.Send(new ListCaseReferrals(caseId), ct) is { } list ? TypedResults.Ok(list) : TypedResults.NotFound())
            .WithName("ListCaseReferrals").WithSummary("The case's referrals");
        cell.MapGet("/referrals/{referralId:guid}", async Task<Results<Ok<ReferralView>, NotFound>> (Guid referralId, IMediator mediator, HttpContext http, CancellationToken ct) =>
                await mediator.Send(new GetReferral(referralId), ct) is { } view ? Tagged(http, view.Version, view) : TypedResults.NotFound())
            .Versioned().WithName("GetReferral").WithSummary("One referral with its status and follow-up due date");
        cell.MapPut("/referrals/{referralId:guid}/ground", async (Guid referralId, SharingGroundInput body, IMediator mediator, HttpContext http, CancellationToken ct) =>
            {
                var view = await mediator.Send(new StateSharingGroundRequest(referralId, body, IfMatch.ExpectedVersion(http, required: true)), ct);
                return Tagged(http, view.Version, view);
            })
            .AddEndpointFilter<ValidateBody<SharingGroundInput>>()
            .Versioned(IfMatchUse.Required).WithName("StateReferralGround")
            .WithSummary("State the ground of a draft referral after drafting: consent obtained since, or the legal basis")
            .WithDescription("Replaces the draft's ground (the referral's `ground`, same shape), so a draft refused at sending for want of consent (422 `no-consent-or-legal-basis`) can be sent once its ground is stated. A sent referral keeps the ground it was sent on (409 `referral-wrong-state`).");
        MapChange(cell, "sending", ReferralChange.Send, "SendReferral", "Send the referral (422 without consent or legal basis)");
        MapChange(cell, "cancellation", ReferralChange.Cancel, "CancelReferral", "Cancel a referral not yet accepted (reason required)");
        MapChange(cell, "revocation", ReferralChange.Revoke, "RevokeReferral", "Revoke a referral (its sender or the head; reason required)");

        var partner = app.MapGroup("/api/v1/partner").WithTag("Partner integration", "What a partner's system calls with its client credentials: the token endpoint, the referrals addressed to it and exactly the parts of the case each shares, its answers, and the runaways and returns it reports.");
        partner.MapGet("/referrals", async (IMediator mediator, CancellationToken ct) => TypedResults.Ok(await mediator.Send(new ListPartnerReferrals(), ct)))
            .RequireAuthorization(AccessPolicies.PartnerRead)
            .WithName("ListMyReferrals").WithSummary("Referrals addressed to the calling partner (scope referrals:read)");
        partner.MapGet("/referrals/{referralId:guid}", async Task<Results<Ok<PartnerReferralView>, NotFound>> (Guid referralId, IMediator mediator, HttpContext http, CancellationToken ct) =>
                await mediator.Send(new GetPartnerReferral(referralId), ct) is { } view ? Tagged(http, view.Version, view) : TypedResults.NotFound())
            .RequireAuthorization(AccessPolicies.PartnerRead)
            .Versioned().WithName("GetMyReferral").WithSummary("A referral and exactly the parts of the case it shares (scope referrals:read)");
        foreach (var (path, answer) in new[] { ("acknowledgement", ReferralAnswer.Acknowledge), ("acceptance", ReferralAnswer.Accept), ("decline", ReferralAnswer.Decline), ("progress", ReferralAnswer.Progress), ("completion", ReferralAnswer.Complete) })
            partner.MapPost($"/referrals/{{referralId:guid}}/{path}", async (Guid referralId, AnswerReferralRequest body, IMediator mediator, HttpContext http, CancellationToken ct) =>
                {
                    var view = await mediator.Send(body with { ReferralId = referralId, Answer = answer, ExpectedVersion = IfMatch.ExpectedVersion(http, required: false) }, ct);
                    return Tagged(http, view.Version, view);
                })
                .RequireAuthorization(AccessPolicies.PartnerRespond)
                .Versioned(IfMatchUse.Optional).WithName($"{answer}Referral").WithSummary($"{answer} a referral (scope referrals:respond){(answer == ReferralAnswer.Decline ? "; reason required" : answer is ReferralAnswer.Progress or ReferralAnswer.Complete ? "; note required" : "")}");

        partner.MapPost("/referrals/{referralId:guid}/episodes", async (Guid referralId, ReportRunawayRequest body, PartnerEpisodes episodes, TimeProvider clock, CancellationToken ct) =>
            {
                var episodeId = Guid.CreateVersion7(clock.GetUtcNow());
                await episodes.DecideAsync(referralId, (by, now) => body.ToCommand(episodeId, by, now), ct);
                return TypedResults.Created($"/api/v1/partner/referrals/{referralId}", new PartnerEpisodeRecorded(referralId, episodeId));
            })
            .AddEndpointFilter<ValidateBody<ReportRunawayRequest>>()
            .RequireAuthorization(AccessPolicies.PartnerReportEpisodes)
            .WithName("PartnerReportsRunaway").WithSummary("Report a disappearance of the minor of an accepted referral (scope episodes:report)");
        partner.MapPost("/referrals/{referralId:guid}/episodes/{episodeId:guid}/return", async (Guid referralId, Guid episodeId, RecordReturnRequest body, PartnerEpisodes episodes, CancellationToken ct) =>
            {
                await episodes.DecideAsync(referralId, (by, now) => body.ToCommand(episodeId, by, now), ct);
                return TypedResults.Created($"/api/v1/partner/referrals/{referralId}", new PartnerEpisodeRecorded(referralId, episodeId));
            })
            .AddEndpointFilter<ValidateBody<RecordReturnRequest>>()
            .RequireAuthorization(AccessPolicies.PartnerReportEpisodes)
            .WithName("PartnerRecordsReturn").WithSummary("Record the minor's return for an accepted referral (scope episodes:report)");
        return app;
    }

    private static void MapChange(RouteGroupBuilder cell, string path, ReferralChange change, string name, string summary) =>
        cell.MapPost($"/referrals/{{referralId:guid}}/{path}", async (Guid referralId, ChangeReferralRequest body, IMediator mediator, HttpContext http, CancellationToken ct) =>
            {
                var view = await mediator.Send(body with { ReferralId = referralId, Change = change, ExpectedVersion = IfMatch.ExpectedVersion(http, required: false) }, ct);
                return Tagged(http, view.Version, view);
            })
            .Versioned(IfMatchUse.Optional).WithName(name).WithSummary(summary);
}
