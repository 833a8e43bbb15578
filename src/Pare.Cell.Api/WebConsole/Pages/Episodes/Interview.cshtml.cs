using System.Globalization;
using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Pare.Cell.Api.Assessments;
using Pare.Cell.Api.Assessments.Interviews;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.WebConsole.Infrastructure;
using Pare.Cell.Domain.Assessments;

namespace Pare.Cell.Api.WebConsole.Pages.Episodes;

/// <summary>
/// The return interview, drawn from the cell's current questionnaire version (the one the API would
/// check the answers against): each question's type decides its field. Answers leave as the JSON the
/// API takes, named <c>answers.{question}</c>, so the questionnaire's own checks name the field.
/// </summary>
[Authorize(Policy = AccessPolicies.CaseWork)]
public sealed class InterviewModel(IQuerySession session) : CasePage
{
    public ReturnInterviewQuestionnaire Questionnaire { get; private set; } = ReturnInterviewQuestionnaire.Default;
    public ReturnInterviewView Current { get; private set; } = null!;

    [BindProperty(Name = "questionnaireVersion")] public int? QuestionnaireVersion { get; set; }
    [BindProperty(Name = "heldAt")] public string? HeldAt { get; set; }
    [BindProperty(Name = "present")] public string? Present { get; set; }
    [BindProperty(Name = "minorsOwnWords")] public string? MinorsOwnWords { get; set; }
    [BindProperty(Name = "reason")] public string? Reason { get; set; }

    private Dictionary<string, string> _labels = new()
    {
        ["heldAt"] = "Entretien tenu le",
        ["present"] = "Personnes présentes",
        ["minorsOwnWords"] = "Ses propres mots",
        ["questionnaireVersion"] = "Version du questionnaire",
        ["reason"] = "Pourquoi l'entretien n'est pas tenu",
    };

    protected override IReadOnlyDictionary<string, string> Labels => _labels;

    public static string Field(Question question) => $"answers.{question.Key}";

    /// <summary>What the form holds for a question (posted values on a redisplay).</summary>
    public IReadOnlyList<string> Posted(Question question) =>
        Request.HasFormContentType ? [.. Request.Form[Field(question)].OfType<string>()] : [];

    public async Task<IActionResult> OnGetAsync(Guid caseId, Guid episodeId)
    {
        if (!await LoadAsync(caseId, episodeId, version: null)) return NotFound();
        HeldAt = ParisTime.Input(Clock.GetUtcNow());
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid caseId, Guid episodeId)
    {
        var questionnaire = await AssessmentDefinitions.QuestionnaireAsync(session, QuestionnaireVersion, Aborted) ?? ReturnInterviewQuestionnaire.Default;
        return await CommandAsync(
            ct => Mediator.Send(new RecordReturnInterviewRequest(QuestionnaireVersion, Answers(questionnaire), Lines(Present),
                Choices.Blank(MinorsOwnWords), ParisTime.Parse(HeldAt)) { CaseId = caseId, EpisodeId = episodeId }, ct),
            _ => new SeeOther($"/app/dossiers/{caseId}/episodes/{episodeId}?ok=entretien"),
            async () => await LoadAsync(caseId, episodeId, QuestionnaireVersion) ? Page() : NotFound());
    }

    public Task<IActionResult> OnPostNotHeldAsync(Guid caseId, Guid episodeId) => CommandAsync(
        ct => Mediator.Send(new DeclineReturnInterviewRequest(Choices.Blank(Reason)) { CaseId = caseId, EpisodeId = episodeId }, ct),
        _ => new SeeOther($"/app/dossiers/{caseId}/episodes/{episodeId}?ok=non-tenu"),
        async () => await LoadAsync(caseId, episodeId, QuestionnaireVersion) ? Page() : NotFound());

    private async Task<bool> LoadAsync(Guid caseId, Guid episodeId, int? version)
    {
        if (!await LoadCaseAsync(caseId)) return false;
        var current = await Mediator.Send(new GetReturnInterview(caseId, episodeId), Aborted);
        if (current is null) return false;
        Current = current;
        Questionnaire = await AssessmentDefinitions.QuestionnaireAsync(session, version, Aborted) ?? ReturnInterviewQuestionnaire.Default;
        QuestionnaireVersion = Questionnaire.Version;
        foreach (var question in Questionnaire.Questions) _labels[Field(question)] = question.Text.French;
        return true;
    }

    /// <summary>The form's values as the JSON answers the API takes; unanswered questions are left out.</summary>
    private Dictionary<string, JsonElement> Answers(ReturnInterviewQuestionnaire questionnaire)
    {
        var answers = new Dictionary<string, JsonElement>();
        foreach (var question in questionnaire.Questions)
        {
            var values = Request.Form[Field(question)].OfType<string>().Where(v => !string.IsNullOrWhiteSpace(v)).ToList();
            if (values.Count == 0) continue;
            answers[question.Key] = question.Type switch
            {
                AnswerType.YesNo when Choices.Bool(values[0]) is { } yes => JsonSerializer.SerializeToElement(yes),
                AnswerType.MultipleChoice => JsonSerializer.SerializeToElement(values),
                // A number typed with a decimal comma is still a number; anything else goes as typed, and the
                // questionnaire's check says "Nombre attendu." on the field.
                AnswerType.Number when double.TryParse(values[0].Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
                    => JsonSerializer.SerializeToElement(n),
                _ => JsonSerializer.SerializeToElement(values[0]),
            };
        }
        return answers;
    }

    private static List<string>? Lines(string? text) =>
        text is null ? null : [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
