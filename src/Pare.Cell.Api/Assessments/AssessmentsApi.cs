using Pare.Cell.Api.Infrastructure.OpenApi;
using FluentValidation;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Pare.Cell.Api.Assessments.Interviews;
using Pare.Cell.Api.Assessments.Risk;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Http;
using Pare.Cell.Domain.Assessments;
using static Pare.Cell.Api.Cases.Answers;

namespace Pare.Cell.Api.Assessments;

/// <summary>Return interviews, risk assessments, and the versioned definitions they are held under.</summary>
public static class AssessmentsApi
{
    public static IEndpointRouteBuilder MapAssessmentsApi(this IEndpointRouteBuilder app)
    {
        var definitions = app.MapGroup("/api/v1/definitions").WithTag("Questionnaires and indicators", "The versioned definitions answers refer to: the return-interview questionnaire and the risk-indicator catalogue (weights, windows).").RequireAuthorization(AccessPolicies.CellMember);
        definitions.MapGet("/return-interview", async Task<Results<Ok<ReturnInterviewQuestionnaire>, NotFound>> (Marten.IQuerySession session, [AsParameters] DefinitionVersion query, CancellationToken ct) =>
                await AssessmentDefinitions.QuestionnaireAsync(session, query.Version, ct) is { } q ? TypedResults.Ok(q) : TypedResults.NotFound())
            .AddEndpointFilter<ValidateBody<DefinitionVersion>>()
            .WithName("GetReturnInterviewQuestionnaire").WithSummary("The return-interview questionnaire (latest, or ?version=N)");
        definitions.MapPost("/return-interview", async (PublishQuestionnaire body, IMediator mediator, CancellationToken ct) =>
                TypedResults.Created("/api/v1/definitions/return-interview", await mediator.Send(body, ct)))
            .RequireAuthorization(AccessPolicies.PolicyEditor)
            .WithName("PublishReturnInterviewQuestionnaire").WithSummary("Publish the next questionnaire version (head, admin); earlier answers keep their version");
        definitions.MapGet("/risk-indicators", async Task<Results<Ok<RiskIndicatorCatalogue>, NotFound>> (Marten.IQuerySession session, [AsParameters] DefinitionVersion query, CancellationToken ct) =>
                await AssessmentDefinitions.CatalogueAsync(session, query.Version, ct) is { } c ? TypedResults.Ok(c) : TypedResults.NotFound())
            .AddEndpointFilter<ValidateBody<DefinitionVersion>>()
            .WithName("GetRiskIndicatorCatalogue").WithSummary("The risk-indicator catalogue with weights and windows (latest, or ?version=N)");
        definitions.MapPost("/risk-indicators", async (PublishCatalogue body, IMediator mediator, CancellationToken ct) =>
                TypedResults.Created("/api/v1/definitions/risk-indicators", await mediator.Send(body, ct)))
            .RequireAuthorization(AccessPolicies.PolicyEditor)
            .WithName("PublishRiskIndicatorCatalogue").WithSummary("Publish the next catalogue version (head, admin); earlier assessments keep theirs");

        var episodes = app.MapGroup("/api/v1/cases/{caseId:guid}/episodes/{episodeId:guid}").WithTag("Return interviews", "The structured interview due within 72 hours of every return, or the recorded decision not to hold it.").RequireAuthorization(AccessPolicies.CaseWork);
        episodes.MapPost("/return-interview", async (Guid caseId, Guid episodeId, RecordReturnInterviewRequest body, HttpContext http, IMediator mediator, CancellationToken ct) =>
                Recorded(http, await mediator.Send(body with { CaseId = caseId, EpisodeId = episodeId, ExpectedVersion = IfMatch.ExpectedVersion(http, required: false) }, ct),
                    $"/api/v1/cases/{caseId}/episodes/{episodeId}/return-interview"))
            .Versioned(IfMatchUse.Optional).WithName("RecordReturnInterview").WithSummary("Record the return interview (409 while the minor is still missing)");
        episodes.MapPost("/return-interview/not-held", async (Guid caseId, Guid episodeId, DeclineReturnInterviewRequest body, HttpContext http, IMediator mediator, CancellationToken ct) =>
                Recorded(http, await mediator.Send(body with { CaseId = caseId, EpisodeId = episodeId, ExpectedVersion = IfMatch.ExpectedVersion(http, required: false) }, ct),
                    $"/api/v1/cases/{caseId}/episodes/{episodeId}/return-interview"))
            .Versioned(IfMatchUse.Optional).WithName("DeclineReturnInterview").WithSummary("Record the decision not to hold the return interview, with its reason");
        episodes.MapGet("/return-interview", async Task<Results<Ok<ReturnInterviewView>, NotFound>> (Guid caseId, Guid episodeId, IMediator mediator, CancellationToken ct) =>
                await mediator.Send(new GetReturnInterview(caseId, episodeId), ct) is { } view ? TypedResults.Ok(view) : TypedResults.NotFound())
            .WithName("GetReturnInterview").WithSummary("The episode's return interview, read with its own questionnaire version (journaled)");

        var risk = app.MapGroup("/api/v1/cases/{caseId:guid}/risk-assessments").WithTag("Risk assessments", "Prostitution-risk assessments: observed indicators, the computed score and suggested level, the worker's final level and its history.").RequireAuthorization(AccessPolicies.CaseWork);
        risk.MapPost("/", async (Guid caseId, AssessRiskRequest body, HttpContext http, IMediator mediator, CancellationToken ct) =>
            {
                var result = await mediator.Send(body with { CaseId = caseId, ExpectedVersion = IfMatch.ExpectedVersion(http, required: false) }, ct);
                ETags.Set(http, result.Version);
                return TypedResults.Created($"/api/v1/cases/{caseId}/risk-assessments", result);
            })
            .Versioned(IfMatchUse.Optional).WithName("AssessRisk").WithSummary("Record a risk assessment: observed indicators, computed score and suggestion, final level");
        risk.MapPost("/preview", async Task<Results<Ok<RiskScore>, NotFound>> (Guid caseId, PreviewRiskScore body, IMediator mediator, Marten.IQuerySession session, CancellationToken ct) =>
                await session.LoadAsync<Domain.Cases.Case>(caseId, ct) is null ? TypedResults.NotFound() : TypedResults.Ok(await mediator.Send(body, ct)))
            .WithName("PreviewRiskScore").WithSummary("Compute the score and suggested level without recording anything");
        risk.MapGet("/", async Task<Results<Ok<RiskAssessmentHistory>, NotFound>> (Guid caseId, IMediator mediator, CancellationToken ct) =>
                await mediator.Send(new GetRiskAssessments(caseId), ct) is { } history ? TypedResults.Ok(history) : TypedResults.NotFound())
            .WithName("GetRiskAssessments").WithSummary("Assessment history, trend and next due date (journaled)");
        return app;
    }
}

/// <param name="Version">A published version (the latest when absent).</param>
public sealed record DefinitionVersion(int? Version);

public sealed class DefinitionVersionValidator : AbstractValidator<DefinitionVersion>
{
    public DefinitionVersionValidator() => RuleFor(q => q.Version).InclusiveBetween(1, int.MaxValue);
}
