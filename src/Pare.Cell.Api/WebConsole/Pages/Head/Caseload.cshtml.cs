using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Pare.Cell.Api.Caseload;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.WebConsole.Infrastructure;

namespace Pare.Cell.Api.WebConsole.Pages.Head;

/// <summary>The head's caseload board: per worker, open cases, missing minors, overdue reminders, cases at risk, last activity (the API's <see cref="GetCaseload"/>).</summary>
[Authorize(Policy = AccessPolicies.HeadOnly)]
public sealed class CaseloadModel : ConsolePage
{
    [FromQuery(Name = "tri")] public string? Sort { get; set; }

    public CaseloadView Caseload { get; private set; } = null!;
    public StaffNames Staff { get; private set; } = null!;

    public static readonly IReadOnlyList<(string Key, string Label)> Columns =
    [
        ("worker", "Travailleur·se social·e"), ("openCases", "Dossiers ouverts"), ("openEpisodes", "Disparu·e·s"),
        ("overdueReminders", "Rappels en retard"), ("atRiskOrInSituation", "En risque ou en situation"), ("lastActivity", "Dernière activité"),
    ];

    public async Task<IActionResult> OnGetAsync()
    {
        var sort = GetCaseloadValidator.SortKeys.Contains(Sort) ? Sort : "overdueReminders";
        Sort = sort;
        Caseload = await Mediator.Send(new GetCaseload(sort, sort != "worker", null, null), Aborted);
        Staff = await StaffAsync();
        return Page();
    }
}
