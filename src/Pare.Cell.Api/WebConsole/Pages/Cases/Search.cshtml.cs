using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Search;
using Pare.Cell.Api.WebConsole.Infrastructure;

namespace Pare.Cell.Api.WebConsole.Pages.Cases;

/// <summary>
/// Find a minor by name, alias, phone, handle or case reference (the API's <see cref="SearchCasesRequest"/>: the same
/// tolerance, journal and cell). The query is posted, never put in the URL; the answer is not cached.
/// </summary>
[Authorize(Policy = AccessPolicies.CaseWork)]
public sealed class SearchModel : ConsolePage
{
    [BindProperty(Name = "query")] public string? Query { get; set; }

    public SearchResults? Results { get; private set; }

    protected override IReadOnlyDictionary<string, string> Labels { get; } = new Dictionary<string, string> { ["query"] = "Nom, surnom, téléphone, pseudo ou numéro de dossier" };

    public static string Field(string field) => field switch
    {
        "name" => "nom",
        "alias" => "surnom",
        "reference" => "dossier",
        "phone" => "téléphone",
        "handle" => "pseudo",
        _ => field,
    };

    public void OnGet()
    {
    }

    public Task<IActionResult> OnPostAsync() => CommandAsync(
        ct => Mediator.Send(new SearchCasesRequest(Query, 20), ct),
        found =>
        {
            Results = found;
            return Page();
        },
        () => Task.FromResult<IActionResult>(Page()));
}
