using Pare.Cell.Api.Infrastructure.OpenApi;
using Mediator;
using Microsoft.AspNetCore.Http.HttpResults;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Http;
using static Pare.Cell.Api.Cases.Answers;

namespace Pare.Cell.Api.Reminders;

/// <summary>Reminders (relances): each worker's day, a case's follow-ups, snoozing, the head's case review.</summary>
public static class RemindersApi
{
    public static IEndpointRouteBuilder MapRemindersApi(this IEndpointRouteBuilder app)
    {
        var reminders = app.MapGroup("/api/v1").WithTag("Reminders", "Follow-up obligations derived from the facts (return interview due, contact attempt, reassessment, unanswered referral, case review, unacknowledged alert): each worker's inbox, a case's reminders, snoozing, the head's review.").RequireAuthorization(AccessPolicies.CaseWork);

        reminders.MapGet("/reminders", async (IMediator mediator, [AsParameters] GetReminderInbox query, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(query, ct)))
            .WithName("GetReminderInbox").WithSummary("My reminders: overdue, due today, next 7 days (a head sees the cell's, `?worker=` to filter)");
        reminders.MapGet("/cases/{caseId:guid}/reminders", async Task<Results<Ok<IReadOnlyList<ReminderItem>>, NotFound>> (Guid caseId, IMediator mediator, CancellationToken ct) =>
                await mediator.Send(new GetCaseReminders(caseId), ct) is { } items ? TypedResults.Ok(items) : TypedResults.NotFound())
            .WithName("GetCaseReminders").WithSummary("The case's open reminders (journaled)");
        reminders.MapPost("/cases/{caseId:guid}/reminders/{key:maxlength(200)}/snooze", async (Guid caseId, string key, SnoozeReminderRequest body, HttpContext http, IMediator mediator, CancellationToken ct) =>
                Recorded(http, await mediator.Send(body with { CaseId = caseId, Key = key, ExpectedVersion = IfMatch.ExpectedVersion(http, required: false) }, ct), $"/api/v1/cases/{caseId}/reminders"))
            .Versioned(IfMatchUse.Optional).WithName("SnoozeReminder").WithSummary("Put a reminder off (reason required, at most 7 days)");
        reminders.MapPost("/cases/{caseId:guid}/review", async (Guid caseId, ReviewCaseRequest body, HttpContext http, IMediator mediator, CancellationToken ct) =>
                Recorded(http, await mediator.Send(body with { CaseId = caseId, ExpectedVersion = IfMatch.ExpectedVersion(http, required: false) }, ct), $"/api/v1/cases/{caseId}"))
            .RequireAuthorization(AccessPolicies.HeadOnly)
            .Versioned(IfMatchUse.Optional).WithName("ReviewCase").WithSummary("Record the head's review of the case (completes the repeated-runaways reminder)");
        return app;
    }
}
