using System.Diagnostics;
using OpenQA.Selenium;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Tests.Cases;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Console.Browser;

/// <summary>
/// The console in headless Chromium, from the keyboard alone (Tab order, Space on choices, Enter on links and buttons):
/// the worker's night on a phone (report → contact → return → interview) and the head's morning on a desktop
/// (caseload → the right-now board updated live → reassignment), axe-core on every page on the way.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BrowserFlowsTests(BrowserApp app)
{
    private readonly List<string> _violations = [];

    private void Check(Chromium browser) =>
        _violations.AddRange(browser.SeriousAccessibilityViolations().Select(v => $"{browser.Path}: {v}"));

    private async Task<long> EventsOfAsync(Guid caseId, string type) =>
        await app.ScalarAsync("select count(*) from pare.mt_events where stream_id = $1 and type = $2", caseId, type);

    [Fact]
    public async Task The_workers_night_on_a_phone_report_contact_return_interview()
    {
        var opened = await app.As("worker-amel", PareApp.CellA, "worker").OpenCaseAsync(CaseRequests.NewCase("Léonie", "Nuit"));
        using var browser = new Chromium(app.Address, 375, 812);
        browser.SignIn("worker-amel", "worker", PareApp.CellA);
        Check(browser); // Ma journée

        // The first Tab reaches the skip link: keyboard users jump past the navigation.
        new OpenQA.Selenium.Interactions.Actions(browser.Driver).SendKeys(Keys.Tab).Perform();
        browser.Driver.SwitchTo().ActiveElement().Text.ShouldBe("Aller au contenu");

        browser.Open($"/app/dossiers/{opened.Id}");
        Check(browser);
        var started = Stopwatch.StartNew();
        browser.Follow("Signaler une fugue");
        Check(browser);
        browser.Type("lastSeenPlace", "Gare Part-Dieu");
        browser.Type("reportedBy", "Éducateur de nuit");
        browser.Choose("classification", "runaway");
        browser.Submit("Signaler la fugue");
        started.Stop();
        browser.Path.ShouldContain("/episodes/");
        browser.Find(".notice").Text.ShouldBe("La fugue est signalée.");
        started.Elapsed.ShouldBeLessThan(TimeSpan.FromMinutes(1), "Reporting a runaway takes under a minute on a phone.");
        Check(browser);

        browser.Follow("Consigner un contact");
        browser.Choose("with", "parentOrGuardian");
        browser.Choose("channel", "phone");
        browser.Choose("outcome", "reached");
        browser.Type("notes", "Mère jointe, pas de nouvelles");
        Check(browser);
        browser.Submit("Consigner le contact");

        browser.Follow("Enregistrer le retour");
        browser.Choose("how", "cameBackAlone");
        browser.Choose("safetyCheck.done", "true");
        Check(browser);
        browser.Submit("Enregistrer le retour");

        browser.Follow("Entretien de retour");
        browser.Type("present", "La jeune");
        foreach (var required in browser.Driver.FindElements(By.CssSelector("form textarea[required][name^='answers.']")))
            required.SendKeys("Chez une amie");
        foreach (var group in browser.Driver.FindElements(By.CssSelector("form fieldset")).Where(f => f.FindElements(By.CssSelector("legend .required")).Count > 0))
            group.FindElements(By.CssSelector("input[type='radio']"))[0].SendKeys(Keys.Space);
        Check(browser);
        browser.Submit("Enregistrer l'entretien");
        browser.Driver.PageSource.ShouldNotContain("data-error-summary", customMessage: browser.Driver.PageSource);

        (await EventsOfAsync(opened.Id, "runaway_reported")).ShouldBe(1);
        (await EventsOfAsync(opened.Id, "episode_contact_logged")).ShouldBe(1);
        (await EventsOfAsync(opened.Id, "return_recorded")).ShouldBe(1);
        (await EventsOfAsync(opened.Id, "return_interview_recorded")).ShouldBe(1);
        browser.Driver.Title.ShouldNotContain("Léonie");
        _violations.ShouldBeEmpty();
    }

    [Fact]
    public async Task The_heads_morning_caseload_then_the_right_now_board_updated_live_then_a_reassignment()
    {
        var worker = app.As("worker-amel", PareApp.CellA, "worker");
        var earlier = await worker.OpenCaseAsync(CaseRequests.NewCase("Anaïs", "Matin"));
        await worker.ReportRunawayAsync(earlier.Id, app.Clock.GetUtcNow().AddHours(-5));
        var tonight = await worker.OpenCaseAsync(CaseRequests.NewCase("Maya", "Matin"));

        using var browser = new Chromium(app.Address, 1280, 900);
        browser.SignIn("demo-head", "head", PareApp.CellA);

        browser.Open("/app/equipe");
        browser.Find("table a[href='/app/dossiers?worker=worker-amel']");
        Check(browser);

        browser.Follow("Voir qui est");
        browser.WaitFor(d => d.FindElement(By.Id("board")).GetAttribute("data-connected") is not null);
        var board = browser.Find("#board");
        board.Text.ShouldContain(earlier.Reference);
        board.Text.ShouldNotContain(tonight.Reference);
        Check(browser);

        await worker.ReportRunawayAsync(tonight.Id, app.Clock.GetUtcNow().AddMinutes(-30));

        browser.WaitFor(d => d.FindElement(By.Id("board")).Text.Contains(tonight.Reference, StringComparison.Ordinal));
        browser.WaitFor(d => d.FindElement(By.Id("live-status")).Text.StartsWith("Tableau mis à jour", StringComparison.Ordinal));
        browser.Path.ShouldBe("/app/maintenant", "Updated in place, not reloaded.");
        Check(browser);

        browser.Open($"/app/dossiers/{tonight.Id}");
        browser.Follow("Affecter");
        browser.Pick("workerId", "demo-head"); // the head takes the case herself
        browser.Type("reason", "Amel en congé");
        Check(browser);
        browser.Submit("Réaffecter");
        browser.Find(".notice").Text.ShouldBe("Le dossier est réaffecté.");
        (await EventsOfAsync(tonight.Id, "worker_assigned")).ShouldBe(1);
        _violations.ShouldBeEmpty();
    }

    [Fact]
    public void The_head_pages_pass_axe_at_phone_width()
    {
        using var browser = new Chromium(app.Address, 375, 812);
        browser.SignIn("demo-head", "head", PareApp.CellA);
        foreach (var page in new[] { "/app/chiffres", "/app/signalements", "/app/reglages", "/app/recherche" })
        {
            browser.Open(page);
            browser.Find("h1");
            Check(browser);
        }
        _violations.ShouldBeEmpty();
    }
}
