using System.Drawing;
using OpenQA.Selenium;
using Pare.Cell.Api.Tests.Cases;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Console.Browser;

/// <summary>Runs only when <c>PARE_SCREENSHOTS</c> names the folder to write (README: "Screenshots").</summary>
public sealed class ScreenshotFactAttribute : FactAttribute
{
    public ScreenshotFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(ConsoleScreenshots.Variable)))
            Skip = $"Set {ConsoleScreenshots.Variable}=docs/console to refresh the console's screenshots.";
    }
}

/// <summary>Each main page of the console at a phone's width (375 px) and a desktop's (1280 px), the whole page, as PNG.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ConsoleScreenshots(BrowserApp app)
{
    public const string Variable = "PARE_SCREENSHOTS";

    [ScreenshotFact]
    public async Task Each_main_page_at_phone_and_desktop_width()
    {
        var folder = Environment.GetEnvironmentVariable(Variable)!;
        if (!System.IO.Path.IsPathRooted(folder)) folder = System.IO.Path.Combine(RepositoryRoot(), folder);
        Directory.CreateDirectory(folder);

        var worker = app.As("worker-amel", PareApp.CellA, "worker");
        var now = app.Clock.GetUtcNow();
        var lina = await worker.OpenCaseAsync(CaseRequests.NewCase("Lina", "Exemple", "2012-03-14"));
        var night = await worker.ReportRunawayAsync(lina.Id, now.AddHours(-7));
        var sami = await worker.OpenCaseAsync(CaseRequests.NewCase("Sami", "Exemple", "2010-09-02"));
        await worker.ReportRunawayAsync(sami.Id, now.AddDays(-3));
        var back = await worker.OpenCaseAsync(CaseRequests.NewCase("Jade", "Exemple", "2011-01-20"));
        var episode = await worker.ReportRunawayAsync(back.Id, now.AddDays(-40));
        await worker.PostJsonAsync($"/api/v1/cases/{back.Id}/episodes/{episode.EpisodeId}/return", Requests.Return(now.AddDays(-39)));

        var pages = new (string Name, string User, string Role, string Path)[]
        {
            ("ma-journee", "worker-amel", "worker", "/app"),
            ("dossier", "worker-amel", "worker", $"/app/dossiers/{lina.Id}"),
            ("signaler-une-fugue", "worker-amel", "worker", $"/app/dossiers/{sami.Id}/fugue"),
            ("episode", "worker-amel", "worker", $"/app/dossiers/{lina.Id}/episodes/{night.EpisodeId}"),
            ("entretien-de-retour", "worker-amel", "worker", $"/app/dossiers/{back.Id}/episodes/{episode.EpisodeId}/entretien"),
            ("equipe", "demo-head", "head", "/app/equipe"),
            ("en-ce-moment", "demo-head", "head", "/app/maintenant"),
            ("signalements", "demo-head", "head", "/app/signalements"),
            ("chiffres", "demo-head", "head", "/app/chiffres"),
            ("reglages", "demo-head", "head", "/app/reglages"),
        };
        foreach (var width in new[] { 375, 1280 })
        {
            foreach (var role in pages.GroupBy(p => (p.User, p.Role)))
            {
                using var browser = new Chromium(app.Address, width, 900);
                browser.SignIn(role.Key.User, role.Key.Role, PareApp.CellA);
                foreach (var page in role)
                {
                    browser.Open(page.Path);
                    browser.Find("h1");
                    var height = Convert.ToInt32(((IJavaScriptExecutor)browser.Driver).ExecuteScript("return document.documentElement.scrollHeight"), System.Globalization.CultureInfo.InvariantCulture);
                    browser.Driver.Manage().Window.Size = new Size(width, Math.Min(height + 140, 5000));
                    browser.Driver.GetScreenshot().SaveAsFile(System.IO.Path.Combine(folder, $"{page.Name}-{width}.png"));
                    browser.Driver.Manage().Window.Size = new Size(width, 900);
                }
            }
        }
        Directory.GetFiles(folder, "*.png").Length.ShouldBeGreaterThanOrEqualTo(pages.Length * 2);
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(System.IO.Path.Combine(directory!.FullName, "Pare.Cell.sln"))) directory = directory.Parent;
        return directory.FullName;
    }
}
