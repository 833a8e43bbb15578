using FluentValidation;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Pare.Cell.Api.Assessments;
using Pare.Cell.Api.Assessments.Risk;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.WebConsole.Infrastructure;
using Pare.Cell.Domain.Assessments;

namespace Pare.Cell.Api.WebConsole.Pages.Cases;

/// <summary>
/// The risk assessment: the cell's current indicator catalogue, each indicator ticked with the date it was
/// observed. The score, suggested level and reasons are the API's preview (PreviewRiskScore), computed as
/// the worker ticks (the script posts the form to the preview handler and swaps in the answer) or with the
/// "Calculer" button without script. The worker's final level may differ, with a justification.
/// </summary>
[Authorize(Policy = AccessPolicies.CaseWork)]
public sealed class RiskModel(IQuerySession session) : CasePage
{
    public RiskIndicatorCatalogue Catalogue { get; private set; } = RiskIndicatorCatalogue.Default;
    public RiskAssessmentHistory History { get; private set; } = null!;
    public RiskScore? Preview { get; private set; }

    [BindProperty(Name = "catalogueVersion")] public int? CatalogueVersion { get; set; }
    [BindProperty(Name = "observed")] public List<string> Observed { get; set; } = [];
    [BindProperty(Name = "finalLevel")] public string? FinalLevel { get; set; }
    [BindProperty(Name = "justification")] public string? Justification { get; set; }

    protected override IReadOnlyDictionary<string, string> Labels => _labels;

    private readonly Dictionary<string, string> _labels = new()
    {
        ["observations"] = "Indicateurs observés",
        ["finalLevel"] = "Niveau retenu",
        ["justification"] = "Justification",
        ["catalogueVersion"] = "Version du référentiel",
    };

    public static readonly IReadOnlyList<(string, string)> Levels = Choices.Of<RiskLevel>(l => Words.Of(l));

    /// <summary>The observation date the form holds for an indicator (today by default).</summary>
    public string ObservedOn(string indicator) =>
        Request.HasFormContentType && Request.Form[$"observedOn.{indicator}"].ToString() is { Length: > 0 } posted
            ? posted : ParisTime.DateInput(Clock.GetUtcNow());

    public async Task<IActionResult> OnGetAsync(Guid caseId) => await LoadAsync(caseId, null) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid caseId) => await CommandAsync(
        ct => Mediator.Send(new AssessRiskRequest(CatalogueVersion, Observations(), Choices.Parse<RiskLevel>(FinalLevel), Choices.Blank(Justification))
            { CaseId = caseId }, ct),
        _ => new SeeOther($"/app/dossiers/{caseId}?ok=risque"),
        async () => await LoadAsync(caseId, CatalogueVersion) ? Page() : NotFound());

    /// <summary>
    /// The preview. From the script (<c>X-Requested-With</c>): only the preview's HTML, swapped into the page.
    /// Without script: the whole page, with the preview and the boxes as ticked.
    /// </summary>
    public async Task<IActionResult> OnPostPreviewAsync(Guid caseId)
    {
        var fragment = Request.Headers.XRequestedWith == "fetch";
        if (fragment)
        {
            // The API's preview route answers 404 for a case outside the caller's cell; so does this one.
            if (await session.LoadAsync<Domain.Cases.Case>(caseId, Aborted) is null) return NotFound();
        }
        else if (!await LoadAsync(caseId, CatalogueVersion)) return NotFound();
        try
        {
            Preview = await Mediator.Send(new PreviewRiskScore(CatalogueVersion, Observations()), Aborted);
        }
        catch (ValidationException invalid)
        {
            foreach (var error in invalid.Errors) ModelState.AddModelError(error.PropertyName, error.ErrorMessage);
        }
        if (!fragment) return Page();
        Catalogue = await AssessmentDefinitions.CatalogueAsync(session, CatalogueVersion, Aborted) ?? RiskIndicatorCatalogue.Default;
        return Partial("_RiskPreview", this);
    }

    private List<ObservationInput> Observations() =>
        [.. Observed.Distinct().Select(key => new ObservationInput(key, ParisTime.ParseDate(Request.Form[$"observedOn.{key}"])))];

    private async Task<bool> LoadAsync(Guid caseId, int? version)
    {
        if (!await LoadCaseAsync(caseId)) return false;
        History = (await Mediator.Send(new GetRiskAssessments(caseId), Aborted))!;
        Catalogue = await AssessmentDefinitions.CatalogueAsync(session, version, Aborted) ?? RiskIndicatorCatalogue.Default;
        CatalogueVersion = Catalogue.Version;
        FinalLevel ??= Choices.Name(History.CurrentLevel ?? RiskLevel.NoneIdentified);
        return true;
    }

    public string Label(string indicator) => Catalogue.Find(indicator)?.Label.French ?? indicator;

    /// <summary>The scorer's reason in French, from the indicator's windows (the scorer states it in English).</summary>
    public string Why(ScoreReason reason)
    {
        var indicator = Catalogue.Find(reason.Indicator);
        return reason.Why switch
        {
            "observed" => "observé",
            "observed too long ago to count" => "observé il y a trop longtemps pour compter",
            _ when indicator is { RecentMonths: { } recent } && reason.Why.StartsWith("observed within", StringComparison.Ordinal) =>
                $"observé il y a moins de {recent} mois",
            _ when indicator is { RecentMonths: { } recent, OlderMonths: { } older } => $"observé il y a {recent} à {older} mois",
            _ => reason.Why,
        };
    }
}
