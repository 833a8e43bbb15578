using System.Net;
using System.Text.RegularExpressions;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Caseload;
using Pare.Cell.Api.Tests.Cases;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Console;

/// <summary>
/// The head's pages and the worker's search through the HTTP pipeline: the API's own queries and commands (same
/// authorization, journal, If-Match), the live board's event stream, the figures as SVG with their table.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class HeadPagesTests(PareApp app)
{
    private const string Head = "demo-head";
    private const string Worker = "worker-amel";

    private async Task<CaseView> CaseOfAsync(string worker, string firstName) =>
        await app.As(worker, PareApp.CellA, "worker").OpenCaseAsync(CaseRequests.NewCase(firstName, "Tableau"));

    private async Task<long> EventsOfAsync(Guid caseId, string type) =>
        await app.ScalarAsync("select count(*) from pare.mt_events where stream_id = $1 and type = $2", caseId, type);

    [Fact]
    public async Task The_head_pages_are_the_heads_alone()
    {
        var worker = await ConsoleSession.SignInAsync(app, Worker);
        foreach (var page in new[] { "/app/equipe", "/app/signalements", "/app/chiffres", "/app/reglages" })
            (await worker.GetAsync(page)).Response.StatusCode.ShouldBe(HttpStatusCode.Forbidden, page);
        var opened = await CaseOfAsync(Worker, "Lina");
        (await worker.GetAsync($"/app/dossiers/{opened.Id}/affectation")).Response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_caseload_board_counts_each_workers_open_cases_and_missing_minors_as_the_API_does()
    {
        const string worker = "worker-caseload";
        var opened = await CaseOfAsync(worker, "Eva");
        await CaseOfAsync(worker, "Alba");
        await app.As(worker, PareApp.CellA, "worker").ReportRunawayAsync(opened.Id, app.Clock.GetUtcNow().AddHours(-1));
        var session = await ConsoleSession.SignInAsync(app, Head, "head");

        var (response, html) = await session.GetAsync("/app/equipe?tri=worker");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var api = await (await app.As(Head, PareApp.CellA, "head").GetAsync($"/api/v1/caseload?worker={worker}")).ReadAsync<CaseloadView>();
        var row = Regex.Match(html, $"<tr>\\s*<th scope=\"row\"><a href=\"/app/dossiers\\?worker={worker}\">.*?</tr>", RegexOptions.Singleline);
        row.Success.ShouldBeTrue(html);
        var numbers = Regex.Matches(row.Value, "<td class=\"num\">\\s*(?:<span[^>]*>)?(\\d+)").Select(m => int.Parse(m.Groups[1].Value)).ToList();
        var expected = api.Workers.Single();
        numbers.ShouldBe([expected.OpenCases, expected.OpenEpisodes, expected.OverdueReminders, expected.AtRiskOrInSituation]);
        expected.OpenCases.ShouldBe(2);
        expected.OpenEpisodes.ShouldBe(1);
    }

    [Fact]
    public async Task The_right_now_board_lists_the_missing_and_its_stream_says_when_the_cell_records_something()
    {
        var opened = await CaseOfAsync(Worker, "Sacha");
        var session = await ConsoleSession.SignInAsync(app, Head, "head");
        var (_, page) = await session.GetAsync("/app/maintenant");
        page.ShouldNotContain(opened.Reference);
        var sequence = Regex.Match(page, "data-sequence=\"(\\d+)\"").Groups[1].Value;

        using var stream = new HttpRequestMessage(HttpMethod.Get, $"/app/maintenant/flux?depuis={sequence}");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var response = await session.Client.SendAsync(stream, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));

        await app.As(Worker, PareApp.CellA, "worker").ReportRunawayAsync(opened.Id, app.Clock.GetUtcNow().AddHours(-3));

        var lines = new List<string>();
        while (!lines.Contains("event: change"))
            lines.Add(await reader.ReadLineAsync(cancel.Token) ?? throw new ShouldAssertException("The stream ended."));
        var data = await reader.ReadLineAsync(cancel.Token);
        data.ShouldStartWith("data: ");
        long.Parse(data![6..]).ShouldBeGreaterThan(long.Parse(sequence));
        lines.ShouldNotContain(l => l.Contains("Sacha"), "The stream carries no data about anyone.");

        var (fragment, board) = await session.GetAsync("/app/maintenant?handler=tableau");
        fragment.StatusCode.ShouldBe(HttpStatusCode.OK);
        board.ShouldNotContain("<html");
        board.ShouldContain(opened.Reference);
        board.ShouldContain($"/app/dossiers/{opened.Id}/episodes/");
    }

    [Fact]
    public async Task The_live_stream_without_a_session_is_a_401_not_a_sign_in_page()
    {
        var anonymous = ConsoleSession.Browser(app);
        (await anonymous.GetAsync("/app/maintenant/flux")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_alert_list_shows_each_alerts_delivery_state()
    {
        var opened = await CaseOfAsync(Worker, "Nour");
        await app.As(Worker, PareApp.CellA, "worker").ReportRunawayAsync(opened.Id, app.Clock.GetUtcNow().AddHours(-2)); // first known episode: worrying
        var session = await ConsoleSession.SignInAsync(app, Head, "head");

        var (response, html) = await session.GetAsync("/app/signalements?etat=pending");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var row = Regex.Match(html, $"<tr>\\s*<th scope=\"row\"><a href=\"/app/dossiers/{opened.Id}/[^\"]+\">{opened.Reference}</a></th>.*?</tr>", RegexOptions.Singleline);
        row.Success.ShouldBeTrue(html);
        WebUtility.HtmlDecode(row.Value).ShouldContain("En cours d'envoi", customMessage: row.Value);
        row.Value.ShouldContain("Première fugue connue");
        (await session.GetAsync("/app/signalements?etat=acknowledged")).Html.ShouldNotContain(opened.Reference);
    }

    [Fact]
    public async Task The_figures_are_SVG_charts_with_their_numbers_in_tables_equal_to_the_APIs_figures()
    {
        var session = await ConsoleSession.SignInAsync(app, Head, "head");
        var month = new DateOnly(app.Clock.GetUtcNow().Year, app.Clock.GetUtcNow().Month, 1);
        var opened = await CaseOfAsync(Worker, "Mila");
        await app.As(Worker, PareApp.CellA, "worker").ReportRunawayAsync(opened.Id, app.Clock.GetUtcNow().AddHours(-1));

        var (response, html) = await session.GetAsync("/app/chiffres");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var api = await (await app.As(Head, PareApp.CellA, "head").GetAsync($"/api/v1/figures?from={month:yyyy-MM-dd}&to={month.AddMonths(1):yyyy-MM-dd}")).ReadAsync<FiguresView>();
        api.Figures.Episodes.ShouldBeGreaterThan(0);
        var monthName = month.ToString("MMMM yyyy", Api.Alerts.InFrench.Culture);
        html.ShouldContain($"<tr><th scope=\"row\">{monthName}</th><td class=\"num\">{api.Figures.Episodes}</td><td class=\"num\">{api.Figures.DistinctMinorsWithEpisodes}</td></tr>");
        foreach (var chart in new[] { "chart-episodes", "chart-interviews", "chart-delivery", "chart-ack" })
        {
            html.ShouldContain($"aria-labelledby=\"{chart}-t {chart}-d\"");
            html.ShouldContain($"<title id=\"{chart}-t\">");
        }
        Regex.Count(html, "<svg [^>]*role=\"img\"").ShouldBeGreaterThanOrEqualTo(4);
        html.ShouldNotContain("style=", customMessage: "The CSP allows no inline style.");
        html.ShouldNotContain("Mila");
    }

    [Fact]
    public async Task The_head_reassigns_a_case_with_the_version_read_and_a_stale_form_is_shown_again()
    {
        var opened = await CaseOfAsync(Worker, "Romy");
        var session = await ConsoleSession.SignInAsync(app, Head, "head");
        await (await ConsoleSession.SignInAsync(app, "worker-bruno")).GetAsync("/app"); // in the directory from their first visit
        var url = $"/app/dossiers/{opened.Id}/affectation";
        var (_, form) = await session.GetAsync(url);
        form.ShouldContain("value=\"worker-bruno\"");

        var assigned = await session.PostAsync(url, form, new() { ["workerId"] = "worker-bruno", ["reason"] = "Congé" });

        assigned.StatusCode.ShouldBe(HttpStatusCode.SeeOther, ConsoleSession.Errors(await assigned.Content.ReadAsStringAsync()));
        assigned.Headers.Location!.OriginalString.ShouldBe($"/app/dossiers/{opened.Id}?ok=affectation");
        (await EventsOfAsync(opened.Id, "worker_assigned")).ShouldBe(1);

        var fields = new Dictionary<string, string> { ["workerId"] = Worker, ["idempotencyKey"] = Guid.NewGuid().ToString("N") };
        var stale = await session.PostAsync(url, form, fields); // the version of the first form
        stale.StatusCode.ShouldBe(HttpStatusCode.OK);
        WebUtility.HtmlDecode(await stale.Content.ReadAsStringAsync()).ShouldContain("Quelqu'un a modifié ces informations");
        (await EventsOfAsync(opened.Id, "worker_assigned")).ShouldBe(1);
    }

    [Fact]
    public async Task The_head_changes_the_reminder_delays_and_a_bad_number_is_named_in_French()
    {
        var session = await ConsoleSession.SignInAsync(app, Head, "head", PareApp.CellB);
        var (_, page) = await session.GetAsync("/app/reglages");
        var fields = new Dictionary<string, string>
        {
            ["returnInterviewHours"] = "48", ["contactEveryHours"] = "0", ["caseReviewEpisodes"] = "3", ["caseReviewWithinDays"] = "30",
            ["escalateOverdueAfterHours"] = "24", ["referralFollowUpWorkingDays"] = "5",
        };

        var refused = await session.PostAsync("/app/reglages?handler=rappels", page, fields);
        refused.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await refused.Content.ReadAsStringAsync();
        html.ShouldContain("id=\"f-contactEveryHours-error\"", customMessage: ConsoleSession.Errors(html));

        fields["contactEveryHours"] = "6";
        fields["idempotencyKey"] = Guid.NewGuid().ToString("N");
        var saved = await session.PostAsync("/app/reglages?handler=rappels", html, fields);
        saved.StatusCode.ShouldBe(HttpStatusCode.SeeOther, ConsoleSession.Errors(await saved.Content.ReadAsStringAsync()));
        var policy = await (await app.As(Head, PareApp.CellB, "head").GetAsync("/api/v1/policy")).ReadAsync<Api.Policies.CellPolicyView>();
        policy.Reminders.ContactEveryHours.ShouldBe(6);
        policy.Reminders.ReturnInterviewHours.ShouldBe(48);
    }

    [Fact]
    public async Task The_search_posts_its_query_finds_the_minor_and_puts_no_name_in_the_url()
    {
        var family = CaseRequests.UniqueFamilyName();
        var opened = await app.As(Worker, PareApp.CellA, "worker").OpenCaseAsync(CaseRequests.NewCase("Héloïse", family));
        var session = await ConsoleSession.SignInAsync(app, Worker);

        var found = await session.SubmitAsync("/app/recherche", new() { ["query"] = $"heloise {family}" });

        found.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await found.Content.ReadAsStringAsync();
        html.ShouldContain($"href=\"/app/dossiers/{opened.Id}\"", customMessage: ConsoleSession.Errors(html));
        html.ShouldContain($"Héloïse {family}");
        (await app.ScalarAsync("select count(*) from audit.access_journal where case_id = $1 and action = 'search.result'", opened.Id)).ShouldBe(1);

        var tooShort = await session.SubmitAsync("/app/recherche", new() { ["query"] = "h" });
        (await tooShort.Content.ReadAsStringAsync()).ShouldContain("Saisissez au moins deux lettres ou chiffres.");
    }

    [Fact]
    public async Task My_day_says_who_is_on_call()
    {
        var session = await ConsoleSession.SignInAsync(app, Worker, "worker", PareApp.CellB);
        var (_, html) = await session.GetAsync("/app");
        html.ShouldContain("<h2 id=\"oncall-title\">Astreinte</h2>");
        html.ShouldContain(html.Contains("D'astreinte jusqu'à", StringComparison.Ordinal) ? "tel:" : "Personne n'est d'astreinte en ce moment.");
    }
}
