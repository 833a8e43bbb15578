using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Pare.Cell.Api.Episodes.Contacts;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.WebConsole.Infrastructure;
using Pare.Cell.Domain.Episodes;

namespace Pare.Cell.Api.WebConsole.Pages.Episodes;

/// <summary>A contact or an attempt (no answer is worth logging too: maintaining the link is the practice).</summary>
[Authorize(Policy = AccessPolicies.CaseWork)]
public sealed class ContactModel : CasePage
{
    [BindProperty(Name = "with")] public string? With { get; set; }
    [BindProperty(Name = "channel")] public string? Channel { get; set; }
    [BindProperty(Name = "outcome")] public string? Outcome { get; set; }
    [BindProperty(Name = "occurredAt")] public string? OccurredAt { get; set; }
    [BindProperty(Name = "notes")] public string? Notes { get; set; }
    [BindProperty(Name = "supportOfferedToFamily")] public string? SupportOfferedToFamily { get; set; }

    protected override IReadOnlyDictionary<string, string> Labels { get; } = new Dictionary<string, string>
    {
        ["with"] = "Avec qui",
        ["channel"] = "Par quel moyen",
        ["outcome"] = "Résultat",
        ["occurredAt"] = "Quand",
        ["notes"] = "Notes",
        ["supportOfferedToFamily"] = "Soutien proposé à la famille",
    };

    public static readonly IReadOnlyList<(string, string)> Parties = Choices.Of<ContactParty>(Words.Of);
    public static readonly IReadOnlyList<(string, string)> Channels = Choices.Of<ContactChannel>(Words.Of);
    public static readonly IReadOnlyList<(string, string)> Outcomes = Choices.Of<ContactOutcome>(Words.Of);

    public async Task<IActionResult> OnGetAsync(Guid caseId, Guid episodeId)
    {
        if (!await LoadCaseAsync(caseId)) return NotFound();
        OccurredAt = ParisTime.Input(Clock.GetUtcNow());
        With = Choices.Name(ContactParty.Minor);
        Channel = Choices.Name(ContactChannel.Phone);
        return Page();
    }

    public Task<IActionResult> OnPostAsync(Guid caseId, Guid episodeId) => CommandAsync(
        ct => Mediator.Send(new LogContactRequest(Choices.Parse<ContactParty>(With), Choices.Parse<ContactChannel>(Channel),
            Choices.Parse<ContactOutcome>(Outcome), ParisTime.Parse(OccurredAt), Choices.Blank(Notes), Choices.Blank(SupportOfferedToFamily))
            { CaseId = caseId, EpisodeId = episodeId }, ct),
        _ => new SeeOther($"/app/dossiers/{caseId}/episodes/{episodeId}?ok=contact"),
        async () => await LoadCaseAsync(caseId) ? Page() : NotFound());
}
