using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Pare.Cell.Api.Episodes.Returning;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.WebConsole.Infrastructure;
using Pare.Cell.Domain.Episodes;

namespace Pare.Cell.Api.WebConsole.Pages.Episodes;

/// <summary>The minor is back: when, how, where they stayed, the immediate health and safety check.</summary>
[Authorize(Policy = AccessPolicies.CaseWork)]
public sealed class ReturnModel : CasePage
{
    [BindProperty(Name = "returnedAt")] public string? ReturnedAt { get; set; }
    [BindProperty(Name = "how")] public string? How { get; set; }
    [BindProperty(Name = "whereStayed")] public string? WhereStayed { get; set; }
    [BindProperty(Name = "safetyCheck.done")] public string? CheckDone { get; set; }
    [BindProperty(Name = "safetyCheck.needsMedicalCare")] public bool NeedsMedicalCare { get; set; }
    [BindProperty(Name = "safetyCheck.disclosedHarm")] public bool DisclosedHarm { get; set; }
    [BindProperty(Name = "safetyCheck.notes")] public string? CheckNotes { get; set; }

    protected override IReadOnlyDictionary<string, string> Labels { get; } = new Dictionary<string, string>
    {
        ["returnedAt"] = "Revenu·e le",
        ["how"] = "Comment",
        ["whereStayed"] = "Où il ou elle était, avec qui",
        ["safetyCheck"] = "Point santé et sécurité",
        ["safetyCheck.done"] = "Le point santé et sécurité a été fait",
        ["safetyCheck.needsMedicalCare"] = "Des soins sont nécessaires",
        ["safetyCheck.disclosedHarm"] = "Il ou elle a révélé des violences subies",
        ["safetyCheck.notes"] = "Notes sur le point santé et sécurité",
    };

    public static readonly IReadOnlyList<(string, string)> Modes = Choices.Of<ReturnMode>(Words.Of);

    public async Task<IActionResult> OnGetAsync(Guid caseId, Guid episodeId)
    {
        if (!await LoadCaseAsync(caseId)) return NotFound();
        ReturnedAt = ParisTime.Input(Clock.GetUtcNow());
        return Page();
    }

    public Task<IActionResult> OnPostAsync(Guid caseId, Guid episodeId) => CommandAsync(
        ct => Mediator.Send(new RecordReturnRequest(ParisTime.Parse(ReturnedAt), Choices.Parse<ReturnMode>(How), Choices.Blank(WhereStayed),
            new SafetyCheckInput(Choices.Bool(CheckDone), NeedsMedicalCare, DisclosedHarm, Choices.Blank(CheckNotes))) { CaseId = caseId, EpisodeId = episodeId }, ct),
        _ => new SeeOther($"/app/dossiers/{caseId}/episodes/{episodeId}?ok=retour"),
        async () => await LoadCaseAsync(caseId) ? Page() : NotFound());
}
