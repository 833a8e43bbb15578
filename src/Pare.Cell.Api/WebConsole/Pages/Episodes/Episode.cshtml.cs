using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Pare.Cell.Api.Episodes.Reading;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.WebConsole.Infrastructure;

namespace Pare.Cell.Api.WebConsole.Pages.Episodes;

/// <summary>One episode in full (the API's journaled episode read), with what to record next.</summary>
[Authorize(Policy = AccessPolicies.CaseWork)]
public sealed class EpisodeModel : CasePage
{
    public EpisodeView Episode { get; private set; } = null!;

    public static readonly IReadOnlyDictionary<string, string> Confirmations = new Dictionary<string, string>
    {
        ["fugue"] = "La fugue est signalée.",
        ["contact"] = "Le contact est consigné.",
        ["observation"] = "L'observation est consignée.",
        ["retour"] = "Le retour est enregistré. L'entretien de retour est à tenir dans les 72 heures.",
        ["entretien"] = "L'entretien de retour est enregistré.",
        ["non-tenu"] = "La décision de ne pas tenir l'entretien est enregistrée.",
    };

    public async Task<IActionResult> OnGetAsync(Guid caseId, Guid episodeId)
    {
        if (!await LoadCaseAsync(caseId)) return NotFound();
        var episode = await Mediator.Send(new GetEpisode(caseId, episodeId), Aborted);
        if (episode is null) return NotFound();
        Episode = episode;
        return Page();
    }
}
