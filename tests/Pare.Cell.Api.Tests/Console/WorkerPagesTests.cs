using System.Net;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Tests.Cases;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Console;

/// <summary>
/// The worker's pages through the HTTP pipeline: each form sends the API's own request, so the same
/// validation (in French), refusals, journal and cell isolation hold; a form sent twice records once.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class WorkerPagesTests(PareApp app)
{
    private const string Amel = "worker-amel";

    private async Task<(CaseView Case, ConsoleSession Session)> CaseOfAmelAsync(string firstName)
    {
        var opened = await app.As(Amel, PareApp.CellA, "worker").OpenCaseAsync(CaseRequests.NewCase(firstName, "Console"));
        return (opened, await ConsoleSession.SignInAsync(app, Amel));
    }

    private static Dictionary<string, string> Runaway(string place = "Gare Part-Dieu") => new()
    {
        ["lastSeenAt"] = "2026-11-28T08:30",
        ["lastSeenPlace"] = place,
        ["reportedBy"] = "Éducateur de nuit",
        ["classification"] = "runaway",
        ["clothing"] = "Veste rouge",
    };

    private async Task<long> EventsOfAsync(Guid caseId, string type) =>
        await app.ScalarAsync("select count(*) from pare.mt_events where stream_id = $1 and type = $2", caseId, type);

    [Fact]
    public async Task My_cases_and_my_day_list_the_cases_assigned_to_me()
    {
        var (opened, session) = await CaseOfAmelAsync("Maëlle");
        await app.As(Amel, PareApp.CellA, "worker").ReportRunawayAsync(opened.Id, app.Clock.GetUtcNow().AddHours(-2));

        var (_, cases) = await session.GetAsync("/app/dossiers");
        cases.ShouldContain("Maëlle Console");

        var (_, day) = await session.GetAsync("/app");
        day.ShouldContain("Maëlle Console");
        day.ShouldContain("Disparu·e depuis");
    }

    [Fact]
    public async Task Reporting_a_runaway_records_the_API_event_and_shows_the_episode()
    {
        var (opened, session) = await CaseOfAmelAsync("Ambre");

        var response = await session.SubmitAsync($"/app/dossiers/{opened.Id}/fugue", Runaway());

        response.StatusCode.ShouldBe(HttpStatusCode.SeeOther, await response.Content.ReadAsStringAsync());
        var episodePage = response.Headers.Location!.OriginalString;
        episodePage.ShouldStartWith($"/app/dossiers/{opened.Id}/episodes/");
        (await EventsOfAsync(opened.Id, "runaway_reported")).ShouldBe(1);
        var (_, html) = await session.GetAsync(episodePage);
        html.ShouldContain("La fugue est signalée.");
        html.ShouldContain("Gare Part-Dieu");
        html.ShouldContain("Veste rouge");
    }

    [Fact]
    public async Task A_form_sent_twice_records_once_and_both_answers_lead_to_the_same_page()
    {
        var (opened, session) = await CaseOfAmelAsync("Lou");
        var (_, form) = await session.GetAsync($"/app/dossiers/{opened.Id}/fugue");

        var first = await session.PostAsync($"/app/dossiers/{opened.Id}/fugue", form, Runaway());
        var second = await session.PostAsync($"/app/dossiers/{opened.Id}/fugue", form, Runaway());

        first.StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        second.StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        second.Headers.Location.ShouldBe(first.Headers.Location);
        (await EventsOfAsync(opened.Id, "runaway_reported")).ShouldBe(1);
    }

    [Fact]
    public async Task Two_taps_at_once_record_once()
    {
        var (opened, session) = await CaseOfAmelAsync("Noé");
        var (_, form) = await session.GetAsync($"/app/dossiers/{opened.Id}/fugue");

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => session.PostAsync($"/app/dossiers/{opened.Id}/fugue", form, Runaway())));

        var bodies = await Task.WhenAll(answers.Select(a => a.Content.ReadAsStringAsync()));
        answers.ShouldAllBe(a => a.StatusCode == HttpStatusCode.SeeOther, string.Join("\n----\n", bodies.Select(ConsoleSession.Errors)));
        answers.Select(a => a.Headers.Location).Distinct().Count().ShouldBe(1);
        (await EventsOfAsync(opened.Id, "runaway_reported")).ShouldBe(1);
    }

    [Fact]
    public async Task An_invalid_form_is_shown_again_with_the_API_validation_messages_in_French_and_records_nothing()
    {
        var (opened, session) = await CaseOfAmelAsync("Jade");
        var fields = Runaway();
        fields["lastSeenPlace"] = "";
        fields["lastSeenAt"] = "2027-01-01T10:00"; // in the future for the app's clock

        var response = await session.SubmitAsync($"/app/dossiers/{opened.Id}/fugue", fields);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("data-error-summary");
        html.ShouldContain("« Où » ne doit pas être vide.");
        html.ShouldContain("aria-invalid=\"true\"");
        html.ShouldContain("Veste rouge", customMessage: "What was typed is kept.");
        (await EventsOfAsync(opened.Id, "runaway_reported")).ShouldBe(0);
    }

    [Fact]
    public async Task A_refusal_of_the_domain_is_shown_on_the_form_in_French()
    {
        var (opened, session) = await CaseOfAmelAsync("Rose");
        (await session.SubmitAsync($"/app/dossiers/{opened.Id}/fugue", Runaway())).StatusCode.ShouldBe(HttpStatusCode.SeeOther);

        var again = await session.SubmitAsync($"/app/dossiers/{opened.Id}/fugue", Runaway("Ailleurs"));

        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await again.Content.ReadAsStringAsync();
        html.ShouldContain("data-error-summary");
        html.ShouldContain("Une fugue est déjà en cours pour ce dossier.");
        (await EventsOfAsync(opened.Id, "runaway_reported")).ShouldBe(1);
    }

    [Fact]
    public async Task The_night_flow_contact_sighting_return_and_interview_records_each_step()
    {
        var (opened, session) = await CaseOfAmelAsync("Célia");
        var reported = await session.SubmitAsync($"/app/dossiers/{opened.Id}/fugue", Runaway());
        var episode = reported.Headers.Location!.OriginalString.Split('?')[0];

        (await session.SubmitAsync($"{episode}/contact", new() { ["with"] = "parentOrGuardian", ["channel"] = "phone", ["outcome"] = "reached", ["notes"] = "Mère inquiète" }))
            .StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        (await session.SubmitAsync($"{episode}/observation", new() { ["seenAt"] = "2026-11-28T08:45", ["place"] = "Place Bellecour", ["source"] = "Une camarade" }))
            .StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        (await session.SubmitAsync($"{episode}/retour", new() { ["returnedAt"] = "2026-11-28T09:50", ["how"] = "cameBackAlone", ["safetyCheck.done"] = "true" }))
            .StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        var interview = await session.SubmitAsync($"{episode}/entretien", new()
        {
            ["present"] = "La jeune\nSon éducatrice",
            ["answers.whereStayed"] = "Chez une amie",
            ["answers.schoolSituation"] = "frequentAbsence",
            ["answers.receivedMoneyOrGifts"] = "true",
            ["answers.platforms"] = "snapchat",
        });
        interview.StatusCode.ShouldBe(HttpStatusCode.SeeOther, ConsoleSession.Errors(await interview.Content.ReadAsStringAsync()));

        (await EventsOfAsync(opened.Id, "episode_contact_logged")).ShouldBe(1);
        (await EventsOfAsync(opened.Id, "sighting_reported")).ShouldBe(1);
        (await EventsOfAsync(opened.Id, "return_recorded")).ShouldBe(1);
        (await EventsOfAsync(opened.Id, "return_interview_recorded")).ShouldBe(1);
        var (_, html) = await session.GetAsync($"{episode}/entretien");
        html.ShouldContain("Entretien enregistré");
        html.ShouldContain("Chez une amie");
    }

    [Fact]
    public async Task The_interview_form_is_drawn_from_the_questionnaire_and_its_checks_name_the_question()
    {
        var (opened, session) = await CaseOfAmelAsync("Inaya");
        var api = app.As(Amel, PareApp.CellA, "worker");
        var episode = await api.ReportRunawayAsync(opened.Id, app.Clock.GetUtcNow().AddHours(-3));
        (await api.PostJsonAsync($"/api/v1/cases/{opened.Id}/episodes/{episode.EpisodeId}/return", Requests.Return(app.Clock.GetUtcNow().AddMinutes(-5))))
            .StatusCode.ShouldBe(HttpStatusCode.Created);
        var url = $"/app/dossiers/{opened.Id}/episodes/{episode.EpisodeId}/entretien";

        var (_, form) = await session.GetAsync(url);
        foreach (var question in Domain.Assessments.ReturnInterviewQuestionnaire.Default.Questions)
            form.ShouldContain($"name=\"answers.{question.Key}\"");

        var response = await session.PostAsync(url, form, new() { ["present"] = "La jeune" });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.ShouldContain("id=\"f-answers-whereStayed-error\"", customMessage: ConsoleSession.Errors(html));
        html.ShouldContain("Cette question demande une réponse.");
        (await EventsOfAsync(opened.Id, "return_interview_recorded")).ShouldBe(0);
    }

    [Fact]
    public async Task The_risk_preview_is_the_API_score_with_its_reasons_and_the_assessment_records()
    {
        var (opened, session) = await CaseOfAmelAsync("Yasmine");
        var url = $"/app/dossiers/{opened.Id}/risque";
        var (_, form) = await session.GetAsync(url);
        var ticked = new List<KeyValuePair<string, string>>
        {
            new("csrf", ConsoleSession.Hidden(form, "csrf")), new("catalogueVersion", "1"),
            new("observed", "severalPhones"), new("observedOn.severalPhones", "2026-11-20"),
            new("observed", "isolation"), new("observedOn.isolation", "2026-10-01"),
        };

        var preview = new HttpRequestMessage(HttpMethod.Post, $"{url}?handler=Preview") { Content = ConsoleSession.Form(ticked) };
        preview.Headers.Add("X-Requested-With", "fetch");
        var fragment = await session.Client.SendAsync(preview);

        fragment.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = WebUtility.HtmlDecode(await fragment.Content.ReadAsStringAsync());
        html.ShouldContain("Score : 6");
        html.ShouldContain("En risque");
        html.ShouldContain("+5 — Plusieurs téléphones", customMessage: html);
        html.ShouldNotContain("<html", customMessage: "Only the preview, swapped into the page.");
        (await EventsOfAsync(opened.Id, "risk_assessed")).ShouldBe(0);

        ticked.Add(new("idempotencyKey", ConsoleSession.Hidden(form, "idempotencyKey")));
        ticked.Add(new("finalLevel", "atRisk"));
        var recorded = await session.Client.PostAsync(url, ConsoleSession.Form(ticked));
        recorded.StatusCode.ShouldBe(HttpStatusCode.SeeOther, await recorded.Content.ReadAsStringAsync());
        (await EventsOfAsync(opened.Id, "risk_assessed")).ShouldBe(1);
    }

    [Fact]
    public async Task Another_cells_worker_finds_nothing_and_records_nothing()
    {
        var (opened, _) = await CaseOfAmelAsync("Capucine");
        var stranger = await ConsoleSession.SignInAsync(app, "worker-bruno", "worker", PareApp.CellB);

        var (page, html) = await stranger.GetAsync($"/app/dossiers/{opened.Id}");
        page.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        html.ShouldNotContain("Capucine");
        (await stranger.GetAsync($"/app/dossiers/{opened.Id}/fugue")).Response.StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var (_, ownForm) = await stranger.GetAsync("/app");
        var fields = Runaway();
        fields["idempotencyKey"] = "k1";
        var post = await stranger.PostAsync($"/app/dossiers/{opened.Id}/fugue", ownForm, fields);
        post.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await EventsOfAsync(opened.Id, "runaway_reported")).ShouldBe(0);
    }

    [Fact]
    public async Task The_case_page_journals_each_read_as_the_API_does_and_keeps_names_out_of_urls_titles_and_logs()
    {
        var (opened, session) = await CaseOfAmelAsync("Zéphyrine");
        var before = await app.ScalarAsync("select count(*) from audit.access_journal where case_id = $1 and user_id = $2", opened.Id, Amel);

        var (response, html) = await session.GetAsync($"/app/dossiers/{opened.Id}");
        var report = await session.SubmitAsync($"/app/dossiers/{opened.Id}/fugue", Runaway());

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        html.ShouldContain("Zéphyrine Console");
        ConsoleSession.Title(html).ShouldNotContain("Zéphyrine");
        report.Headers.Location!.OriginalString.ShouldNotContain("Zéphyrine");
        var actions = await app.ScalarAsync(
            "select count(distinct action) from audit.access_journal where case_id = $1 and user_id = $2 and action in ('case.read', 'profile.read', 'episode.list', 'timeline.read')",
            opened.Id, Amel);
        actions.ShouldBe(4);
        (await app.ScalarAsync("select count(*) from audit.access_journal where case_id = $1 and user_id = $2", opened.Id, Amel)).ShouldBeGreaterThan(before + 4);
        await app.Logs.WaitForAsync(l => l.Contains($"/app/dossiers/{opened.Id}/fugue", StringComparison.Ordinal));
        app.Logs.Lines.ShouldNotContain(l => l.Contains("Zéphyrine", StringComparison.Ordinal));
    }
}
