using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Pare.Cell.Api.Caseload;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.WebConsole.Infrastructure;

namespace Pare.Cell.Api.WebConsole.Pages.Head;

/// <summary>
/// "En ce moment": every minor missing in the cell, longest first, with the classification, the alert's state and
/// the worker (the API's <see cref="GetOpenEpisodes"/>). The page listens to <see cref="ConsolePaths.Live"/>: when the
/// cell records anything, the script fetches the board again (<c>?handler=tableau</c>) and replaces it.
/// </summary>
[Authorize(Policy = AccessPolicies.CaseWork)]
public sealed class NowModel : ConsolePage
{
    public OpenEpisodesView Board { get; private set; } = null!;
    public StaffNames Staff { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync()
    {
        await LoadAsync();
        return Page();
    }

    /// <summary>The board alone, for the script.</summary>
    public async Task<IActionResult> OnGetTableauAsync()
    {
        await LoadAsync();
        return Partial("_Board", this);
    }

    private async Task LoadAsync()
    {
        Board = await Mediator.Send(new GetOpenEpisodes(), Aborted);
        Staff = await StaffAsync();
    }
}
