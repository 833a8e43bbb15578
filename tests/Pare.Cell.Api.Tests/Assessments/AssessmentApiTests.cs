using System.Net;
using Pare.Cell.Api.Assessments.Interviews;
using Pare.Cell.Api.Assessments.Risk;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Tests.Cases;
using Pare.Cell.Api.Tests.Infrastructure;
using Pare.Cell.Domain.Assessments;

namespace Pare.Cell.Api.Tests.Assessments;

[Collection(ApiCollection.Name)]
public sealed class AssessmentApiTests(PareApp app)
{
    private DateTimeOffset Now => app.Clock.GetUtcNow();

    private static object Interview(int version = 1, object? answers = null) => new
    {
        questionnaireVersion = version,
        answers = answers ?? new Dictionary<string, object> { ["whereStayed"] = "At a friend's", ["schoolSituation"] = "attending", ["receivedMoneyOrGifts"] = true },
        present = new[] { "Referent worker", "Minor" },
        minorsOwnWords = "Je voulais juste voir mes copines.",
    };

    private async Task<(CaseView Case, Guid EpisodeId)> ReturnedEpisodeAsync(HttpClient worker)
    {
        var opened = await worker.OpenCaseAsync();
        var episode = await worker.ReportRunawayAsync(opened.Id, Now.AddHours(-10));
        await worker.RecordAsync($"/api/v1/cases/{opened.Id}/episodes/{episode.EpisodeId}/return", Requests.Return(Now.AddHours(-1)));
        return (opened, episode.EpisodeId!.Value);
    }

    [Fact]
    public async Task A_return_interview_is_recorded_for_a_returned_episode_and_its_due_date_is_exposed_until_then()
    {
        var worker = app.Worker();
        var (opened, episodeId) = await ReturnedEpisodeAsync(worker);
        var due = (await worker.GetCaseAsync(opened.Id)).Risk.ReturnInterviewsDue.ShouldHaveSingleItem();
        due.DueAt.ShouldBe(Now.AddHours(-1).AddHours(72));

        var response = await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/episodes/{episodeId}/return-interview", Interview());

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var view = await (await worker.GetAsync($"/api/v1/cases/{opened.Id}/episodes/{episodeId}/return-interview")).ReadAsync<ReturnInterviewView>();
        view.Status.ShouldBe(InterviewStatus.Held);
        view.RevealedIndicators.ShouldBe(["unexplainedMoneyOrGifts"]);
        view.MinorsOwnWords.ShouldBe("Je voulais juste voir mes copines.");
        var caseView = await worker.GetCaseAsync(opened.Id);
        caseView.Risk.ReturnInterviewsDue.ShouldBeEmpty();
        caseView.Risk.ReassessmentSuggestedAt.ShouldBe(Now);
        var twice = await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/episodes/{episodeId}/return-interview", Interview());
        (await twice.ProblemCodeAsync()).ShouldBe("interview-already-recorded");
    }

    [Fact]
    public async Task An_interview_for_an_episode_still_open_is_409()
    {
        var worker = app.Worker();
        var opened = await worker.OpenCaseAsync();
        var episode = await worker.ReportRunawayAsync(opened.Id, Now.AddHours(-2));
        var response = await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/episodes/{episode.EpisodeId}/return-interview", Interview());
        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await response.ProblemCodeAsync()).ShouldBe("episode-still-open");
    }

    [Fact]
    public async Task Answers_that_do_not_match_the_definition_are_400_naming_the_question_and_nothing_is_written()
    {
        var worker = app.Worker(language: "fr");
        var (opened, episodeId) = await ReturnedEpisodeAsync(worker);
        var before = await app.EventCountAsync();

        var response = await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/episodes/{episodeId}/return-interview",
            Interview(answers: new Dictionary<string, object> { ["favouriteColour"] = "blue", ["receivedMoneyOrGifts"] = "oui", ["schoolSituation"] = "attending" }));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var fields = await response.ProblemFieldsAsync();
        fields.Keys.ShouldContain("answers.favouriteColour");
        fields["answers.receivedMoneyOrGifts"].ShouldBe(["Réponse attendue : true ou false."]);
        fields.Keys.ShouldContain("answers.whereStayed");
        (await app.EventCountAsync()).ShouldBe(before);
    }

    [Fact]
    public async Task A_decision_not_to_hold_the_interview_needs_a_reason()
    {
        var worker = app.Worker();
        var (opened, episodeId) = await ReturnedEpisodeAsync(worker);
        var url = $"/api/v1/cases/{opened.Id}/episodes/{episodeId}/return-interview/not-held";
        (await (await worker.PostJsonAsync(url, new { })).ProblemFieldsAsync()).Keys.ShouldContain("reason");
        (await worker.PostJsonAsync(url, new { reason = "Hospitalised on return; interview by the hospital team" })).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await worker.GetCaseAsync(opened.Id)).Risk.ReturnInterviewsDue.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_old_interview_still_reads_with_its_own_questions_after_a_new_version_is_published()
    {
        var cell = $"cell-q-{Guid.NewGuid():N}"[..18];
        var worker = app.Worker(cell);
        var (opened, episodeId) = await ReturnedEpisodeAsync(worker);
        (await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/episodes/{episodeId}/return-interview", Interview())).StatusCode.ShouldBe(HttpStatusCode.Created);

        var v2 = new
        {
            sections = new[]
            {
                new
                {
                    key = "whereAndWithWhom", title = new { english = "Where", french = "Où" },
                    questions = new[] { new { key = "whereStayed", text = new { english = "Where were you (new wording)?", french = "Où étais-tu (nouvelle formulation) ?" }, type = "text", required = true, options = Array.Empty<object>() } },
                },
            },
        };
        var published = await app.Head(cell).PostJsonAsync("/api/v1/definitions/return-interview", v2);
        published.StatusCode.ShouldBe(HttpStatusCode.Created, await published.Content.ReadAsStringAsync());
        (await published.ReadAsync<ReturnInterviewQuestionnaire>()).Version.ShouldBe(2);
        (await app.Worker(cell).PostJsonAsync("/api/v1/definitions/return-interview", v2)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var old = await (await worker.GetAsync($"/api/v1/cases/{opened.Id}/episodes/{episodeId}/return-interview")).ReadAsync<ReturnInterviewView>();
        old.QuestionnaireVersion.ShouldBe(1);
        old.Answers.Single(a => a.Question == "whereStayed").Text.ShouldBe("Where did you stay?");
        old.Answers.Single(a => a.Question == "receivedMoneyOrGifts").Answer.GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task A_risk_assessment_records_score_suggestion_and_final_level_and_builds_the_trend()
    {
        var worker = app.Worker();
        var opened = await worker.OpenCaseAsync();
        var url = $"/api/v1/cases/{opened.Id}/risk-assessments";
        var observations = new[]
        {
            new { indicator = "olderPartner", observedOn = "2026-10-01" },
            new { indicator = "isolation", observedOn = "2024-01-01" },
        };

        var preview = await (await worker.PostJsonAsync($"{url}/preview", new { observations })).ReadAsync<RiskScore>();
        preview.Score.ShouldBe(6);
        preview.SuggestedLevel.ShouldBe(RiskLevel.AtRisk);

        var differs = await worker.PostJsonAsync(url, new { observations, finalLevel = "noneIdentified" });
        differs.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await differs.ProblemFieldsAsync()).Keys.ShouldContain("justification");

        var recorded = await worker.PostJsonAsync(url, new { observations, finalLevel = "atRisk" });
        recorded.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await recorded.ReadAsync<RiskAssessmentResult>()).SuggestedLevel.ShouldBe(RiskLevel.AtRisk);
        (await worker.PostJsonAsync(url, new { observations, finalLevel = "inSituation", justification = "Disclosed to the nurse, not yet in the catalogue terms" })).StatusCode.ShouldBe(HttpStatusCode.Created);

        var history = await (await worker.GetAsync(url)).ReadAsync<RiskAssessmentHistory>();
        history.CurrentLevel.ShouldBe(RiskLevel.InSituation);
        history.Trend.Select(t => t.Final).ShouldBe([RiskLevel.AtRisk, RiskLevel.InSituation]);
        history.ReassessmentDueAt.ShouldBe(Now.AddMonths(3));
        (await worker.GetCaseAsync(opened.Id)).Risk.Level.ShouldBe(RiskLevel.InSituation);

        var unknown = await worker.PostJsonAsync(url, new { observations = new[] { new { indicator = "likesMusic", observedOn = "2026-10-01" } }, finalLevel = "atRisk" });
        (await unknown.ProblemFieldsAsync()).Keys.ShouldContain("observations[0].indicator");
    }

    [Fact]
    public async Task A_new_catalogue_version_scores_new_assessments_and_leaves_old_ones_as_they_were()
    {
        var cell = $"cell-c-{Guid.NewGuid():N}"[..18];
        var worker = app.Worker(cell);
        var opened = await worker.OpenCaseAsync();
        var url = $"/api/v1/cases/{opened.Id}/risk-assessments";
        var observations = new[] { new { indicator = "olderPartner", observedOn = "2026-11-01" } };
        (await worker.PostJsonAsync(url, new { observations, finalLevel = "noneIdentified" })).StatusCode.ShouldBe(HttpStatusCode.Created);

        var heavier = new { indicators = new[] { new { key = "olderPartner", category = "significant", label = new { english = "Older partner", french = "Partenaire plus âgé·e" }, recentPoints = 6, recentMonths = 6, olderPoints = 1, olderMonths = 12 } } };
        (await app.Head(cell).PostJsonAsync("/api/v1/definitions/risk-indicators", heavier)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var now = await (await worker.PostJsonAsync(url, new { observations, finalLevel = "atRisk" })).ReadAsync<RiskAssessmentResult>();
        now.SuggestedLevel.ShouldBe(RiskLevel.AtRisk);

        var history = await (await worker.GetAsync(url)).ReadAsync<RiskAssessmentHistory>();
        history.Assessments.Select(a => (a.CatalogueVersion, a.Score)).ShouldBe([(2, 6), (1, 5)]);
    }

    [Fact]
    public async Task Assessment_reads_are_journaled_and_foreign_cells_get_404()
    {
        var worker = app.Worker();
        var (opened, episodeId) = await ReturnedEpisodeAsync(worker);
        await worker.GetAsync($"/api/v1/cases/{opened.Id}/risk-assessments");
        await worker.GetAsync($"/api/v1/cases/{opened.Id}/episodes/{episodeId}/return-interview");
        (await app.ScalarAsync("select count(*) from audit.access_journal where case_id = $1 and action in ('assessment.read', 'interview.read')", opened.Id)).ShouldBe(2);

        var other = app.Worker(PareApp.CellB);
        (await other.GetAsync($"/api/v1/cases/{opened.Id}/risk-assessments")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.GetAsync($"/api/v1/cases/{opened.Id}/episodes/{episodeId}/return-interview")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.PostJsonAsync($"/api/v1/cases/{opened.Id}/risk-assessments", new { observations = Array.Empty<object>(), finalLevel = "noneIdentified" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.PostJsonAsync($"/api/v1/cases/{opened.Id}/episodes/{episodeId}/return-interview", Interview())).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
