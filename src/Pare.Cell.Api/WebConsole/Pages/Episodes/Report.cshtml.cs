using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Pare.Cell.Api.Episodes.Reporting;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.WebConsole.Infrastructure;
using Pare.Cell.Domain.Episodes;

namespace Pare.Cell.Api.WebConsole.Pages.Episodes;

/// <summary>
/// Report a runaway, on a phone, at night, in under a minute: the time is filled in (now), three fields
/// to type or tick (where, who reports, classification preset to "fugue"), the rest optional. Sent as the
/// API's ReportRunawayRequest: the cell's policy may make it worrying and alert the prosecutor at once.
/// </summary>
[Authorize(Policy = AccessPolicies.CaseWork)]
public sealed class ReportModel : CasePage
{
    [BindProperty(Name = "lastSeenAt")] public string? LastSeenAt { get; set; }
    [BindProperty(Name = "lastSeenPlace")] public string? LastSeenPlace { get; set; }
    [BindProperty(Name = "reportedBy")] public string? ReportedBy { get; set; }
    [BindProperty(Name = "classification")] public string? Classification { get; set; }
    [BindProperty(Name = "circumstances")] public string? Circumstances { get; set; }
    [BindProperty(Name = "clothing")] public string? Clothing { get; set; }
    [BindProperty(Name = "companions")] public string? Companions { get; set; }
    [BindProperty(Name = "destinationHints")] public string? DestinationHints { get; set; }
    [BindProperty(Name = "thirdPartySuspected")] public bool ThirdPartySuspected { get; set; }
    [BindProperty(Name = "dangerDeclared")] public bool DangerDeclared { get; set; }

    protected override IReadOnlyDictionary<string, string> Labels { get; } = new Dictionary<string, string>
    {
        ["lastSeenAt"] = "Vu·e pour la dernière fois le",
        ["lastSeenPlace"] = "Où",
        ["reportedBy"] = "Signalé par",
        ["classification"] = "Qualification",
        ["circumstances"] = "Circonstances",
        ["clothing"] = "Vêtements",
        ["companions"] = "Avec qui",
        ["destinationHints"] = "Où pourrait-il ou elle aller ?",
        ["thirdPartySuspected"] = "Un tiers est soupçonné (adulte plus âgé, véhicule inconnu, cadeaux, plusieurs téléphones)",
        ["dangerDeclared"] = "Danger déclaré (météo, lieu, état de santé)",
    };

    public static readonly IReadOnlyList<(string Value, string Label)> Classifications = Choices.Of<RunawayClassification>(Words.Of);

    public async Task<IActionResult> OnGetAsync(Guid caseId)
    {
        if (!await LoadCaseAsync(caseId)) return NotFound();
        LastSeenAt = ParisTime.Input(Clock.GetUtcNow());
        Classification = Choices.Name(RunawayClassification.Runaway);
        return Page();
    }

    public Task<IActionResult> OnPostAsync(Guid caseId) => CommandAsync(
        ct => Mediator.Send(new ReportRunawayRequest(ParisTime.Parse(LastSeenAt), Choices.Blank(LastSeenPlace), Choices.Blank(ReportedBy),
            Choices.Blank(Circumstances), Choices.Blank(Clothing), Choices.Blank(Companions), Choices.Blank(DestinationHints),
            Choices.Parse<RunawayClassification>(Classification), ThirdPartySuspected, DangerDeclared) { CaseId = caseId }, ct),
        recorded => new SeeOther($"/app/dossiers/{caseId}/episodes/{recorded.EpisodeId}?ok=fugue"),
        async () => await LoadCaseAsync(caseId) ? Page() : NotFound());
}
