using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Pare.Cell.Api.Cases.Listing;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.WebConsole.Infrastructure;

namespace Pare.Cell.Api.WebConsole.Pages.Cases;

/// <summary>
/// The open cases: a worker's own, the whole cell's for a head (one worker's with <c>?worker=</c>), 50 a
/// page through the API's cursor. Every case listed is journaled, as on the API.
/// </summary>
[Authorize(Policy = AccessPolicies.CaseWork)]
public sealed class IndexModel : ConsolePage
{
    [FromQuery(Name = "worker")] public string? Worker { get; set; }
    [FromQuery(Name = "curseur")] public string? Cursor { get; set; }
    [FromQuery(Name = "disparus")] public bool MissingOnly { get; set; }

    public Api.Cases.Listing.CasePage Cases { get; private set; } = null!;
    public string? ShownWorker { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        ShownWorker = IsHead ? Choices.Blank(Worker) : Me.UserId;
        Cases = await Mediator.Send(new ListCases(Cursor, 50, ShownWorker, "open", MissingOnly ? true : null), Aborted);
        return Page();
    }

    public string NextPage() =>
        $"/app/dossiers?curseur={Uri.EscapeDataString(Cases.NextCursor!)}{(ShownWorker is null || !IsHead ? "" : $"&worker={Uri.EscapeDataString(ShownWorker)}")}{(MissingOnly ? "&disparus=true" : "")}";
}
