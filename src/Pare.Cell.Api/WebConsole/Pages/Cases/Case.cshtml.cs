using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Cases.Profile;
using Pare.Cell.Api.Cases.Reading;
using Pare.Cell.Api.Cases.Timeline;
using Pare.Cell.Api.Episodes.Reading;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.WebConsole.Infrastructure;

namespace Pare.Cell.Api.WebConsole.Pages.Cases;

/// <summary>
/// The case: identity and placement, the profile, derived facts, risk, episodes and the timeline. Each part
/// is the API's journaled read (case, profile, episodes, timeline): the journal shows what was seen.
/// </summary>
[Authorize(Policy = AccessPolicies.CaseWork)]
public sealed class CaseModel : ConsolePage
{
    public CaseView Case { get; private set; } = null!;
    public MinorProfileView Profile { get; private set; } = null!;
    public IReadOnlyList<EpisodeSummaryView> Episodes { get; private set; } = [];
    public CaseTimeline Timeline { get; private set; } = null!;

    public static readonly IReadOnlyDictionary<string, string> Confirmations = new Dictionary<string, string>
    {
        ["affectation"] = "Le dossier est réaffecté.",
        ["risque"] = "L'évaluation du risque est enregistrée.",
    };

    public async Task<IActionResult> OnGetAsync(Guid caseId)
    {
        var found = await Mediator.Send(new GetCase(caseId), Aborted);
        if (found is null) return NotFound();
        Case = found;
        Profile = (await Mediator.Send(new GetMinorProfile(caseId), Aborted))!.Current;
        Episodes = await Mediator.Send(new ListEpisodes(caseId), Aborted) ?? [];
        Timeline = (await Mediator.Send(new GetTimeline(caseId), Aborted))!;
        return Page();
    }
}
