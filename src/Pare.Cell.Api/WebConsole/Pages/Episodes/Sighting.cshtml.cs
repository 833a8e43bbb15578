using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Pare.Cell.Api.Episodes.Sightings;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.WebConsole.Infrastructure;

namespace Pare.Cell.Api.WebConsole.Pages.Episodes;

/// <summary>Someone saw the missing minor: where, who says so, when.</summary>
[Authorize(Policy = AccessPolicies.CaseWork)]
public sealed class SightingModel : CasePage
{
    [BindProperty(Name = "seenAt")] public string? SeenAt { get; set; }
    [BindProperty(Name = "place")] public string? Place { get; set; }
    [BindProperty(Name = "source")] public string? Source { get; set; }
    [BindProperty(Name = "details")] public string? Details { get; set; }

    protected override IReadOnlyDictionary<string, string> Labels { get; } = new Dictionary<string, string>
    {
        ["seenAt"] = "Vu·e le",
        ["place"] = "Où",
        ["source"] = "Selon qui",
        ["details"] = "Détails",
    };

    public async Task<IActionResult> OnGetAsync(Guid caseId, Guid episodeId)
    {
        if (!await LoadCaseAsync(caseId)) return NotFound();
        SeenAt = ParisTime.Input(Clock.GetUtcNow());
        return Page();
    }

    public Task<IActionResult> OnPostAsync(Guid caseId, Guid episodeId) => CommandAsync(
        ct => Mediator.Send(new ReportSightingRequest(ParisTime.Parse(SeenAt), Choices.Blank(Place), Choices.Blank(Source), Choices.Blank(Details))
            { CaseId = caseId, EpisodeId = episodeId }, ct),
        _ => new SeeOther($"/app/dossiers/{caseId}/episodes/{episodeId}?ok=observation"),
        async () => await LoadCaseAsync(caseId) ? Page() : NotFound());
}
