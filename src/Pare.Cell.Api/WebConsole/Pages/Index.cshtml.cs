using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Cases.Listing;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Reminders;
using Pare.Cell.Api.WebConsole.Infrastructure;

namespace Pare.Cell.Api.WebConsole.Pages;

/// <summary>
/// "Ma journée": my reminders overdue and due today (the next 7 days folded), and the minors of my cases
/// who are missing right now; who is on call now and next (the API's <c>GET /api/v1/on-call</c>). A head's inbox holds the cell's reminders, as on the API.
/// </summary>
[Authorize(Policy = AccessPolicies.CaseWork)]
public sealed class IndexModel : ConsolePage
{
    public ReminderInbox Inbox { get; private set; } = null!;
    public IReadOnlyList<CaseView> Missing { get; private set; } = [];
    public OnCall.OnCallNow OnCall { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync()
    {
        Inbox = await Mediator.Send(new GetReminderInbox(null), Aborted);
        OnCall = await Mediator.Send(new OnCall.GetOnCall(), Aborted);
        Missing = (await Mediator.Send(new ListCases(null, ListCasesHandler.MaxLimit, Me.UserId, "open", HasOpenEpisode: true), Aborted)).Items;
        return Page();
    }
}
