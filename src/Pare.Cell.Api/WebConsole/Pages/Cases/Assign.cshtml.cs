using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Pare.Cell.Api.Cases.Assignment;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.WebConsole.Infrastructure;

namespace Pare.Cell.Api.WebConsole.Pages.Cases;

/// <summary>
/// The head gives the case to someone else (the API's <see cref="AssignWorkerRequest"/>, with the version the page
/// was read at as If-Match: a change made meanwhile is shown, never overwritten).
/// </summary>
[Authorize(Policy = AccessPolicies.HeadOnly)]
public sealed class AssignModel : CasePage
{
    [BindProperty(Name = "workerId")] public string? WorkerId { get; set; }
    [BindProperty(Name = "reason")] public string? Reason { get; set; }
    [BindProperty(Name = "version")] public long? Version { get; set; }

    public StaffNames Staff { get; private set; } = null!;

    protected override IReadOnlyDictionary<string, string> Labels { get; } = new Dictionary<string, string>
    {
        ["workerId"] = "Confier le dossier à",
        ["reason"] = "Motif",
    };

    public IEnumerable<(string, string)> Options =>
        Staff.Assignable.Select(m => (m.Id, m.Id == Case.AssignedWorkerId ? $"{m.Name} (actuellement)" : m.Name))
            .Concat(Staff.Assignable.Any(m => m.Id == Case.AssignedWorkerId) ? [] : [(Case.AssignedWorkerId, $"{Staff.Of(Case.AssignedWorkerId)} (actuellement)")]);

    public async Task<IActionResult> OnGetAsync(Guid caseId)
    {
        if (!await LoadAsync(caseId)) return NotFound();
        WorkerId = Case.AssignedWorkerId;
        Version = Case.Version;
        return Page();
    }

    public Task<IActionResult> OnPostAsync(Guid caseId) => CommandAsync(
        ct => Mediator.Send(new AssignWorkerRequest(Choices.Blank(WorkerId), Choices.Blank(Reason)) { CaseId = caseId, ExpectedVersion = Version }, ct),
        _ => new SeeOther($"/app/dossiers/{caseId}?ok=affectation"),
        async () =>
        {
            if (!await LoadAsync(caseId)) return NotFound();
            Version = Case.Version; // a stale form is shown with the current state: sending it again is a decision
            return Page();
        });

    private async Task<bool> LoadAsync(Guid caseId)
    {
        if (!await LoadCaseAsync(caseId)) return false;
        Staff = await StaffAsync();
        return true;
    }
}
