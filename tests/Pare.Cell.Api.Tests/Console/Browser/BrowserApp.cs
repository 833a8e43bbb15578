using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Console.Browser;

/// <summary>
/// The API on a real loopback port (Kestrel, port 0), for a real browser: Debian's headless Chromium driven by
/// its chromedriver through Selenium (.ci/run installs both when missing). Its own database; the live board
/// polls every 300 ms so a test sees a live update at once.
/// </summary>
public sealed class BrowserApp : PareApp
{
    public string Address { get; private set; } = "";

    protected override void Configure(IWebHostBuilder builder) => builder.UseSetting("Console:LivePollInterval", "00:00:00.300");

    protected override void Start()
    {
        UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        StartServer();
        Address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserApp>
{
    public const string Name = "Browser";
}

/// <summary>One headless Chromium window of the given width (375: a phone), closed with the test.</summary>
public sealed class Chromium : IDisposable
{
    public const string Binary = "/usr/bin/chromium";
    public const string DriverDirectory = "/usr/bin";

    private readonly string _address;

    public ChromeDriver Driver { get; }

    public Chromium(string address, int width, int height = 900)
    {
        _address = address;
        File.Exists(Binary).ShouldBeTrue("Install Debian's chromium and chromium-driver (apt-get install -y chromium chromium-driver); .ci/run does.");
        var options = new ChromeOptions { BinaryLocation = Binary };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--disable-extensions",
            "--hide-scrollbars", "--lang=fr-FR", $"--window-size={width},{height}");
        var service = ChromeDriverService.CreateDefaultService(DriverDirectory, "chromedriver");
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
        Driver.Manage().Timeouts().PageLoad = TimeSpan.FromSeconds(30);
    }

    public void Open(string path) => Driver.Navigate().GoToUrl(_address + path);

    public string Path => new Uri(Driver.Url).PathAndQuery;

    public IWebElement Find(string css) => Driver.FindElement(By.CssSelector(css));

    public IWebElement Field(string name) => Driver.FindElement(By.Name(name));

    public T WaitFor<T>(Func<IWebDriver, T> condition, int seconds = 15) =>
        new WebDriverWait(Driver, TimeSpan.FromSeconds(seconds)).Until(condition);

    public void WaitForPage(string pathStart) => WaitFor(d => new Uri(d.Url).AbsolutePath.StartsWith(pathStart, StringComparison.Ordinal) && Ready(d));

    private static bool Ready(IWebDriver d) => ((IJavaScriptExecutor)d).ExecuteScript("return document.readyState") as string == "complete";

    /// <summary>The demo sign-in page, by keyboard: the person, the role, the cell, then Enter.</summary>
    public void SignIn(string user, string role, string cell)
    {
        Open("/app/connexion");
        Pick("user", user);
        Find($"input[name='role'][value='{role}']").SendKeys(Keys.Space);
        Pick("cell", cell);
        Find("form button[type='submit']").SendKeys(Keys.Enter);
        WaitFor(d => !new Uri(d.Url).AbsolutePath.StartsWith("/app/connexion", StringComparison.Ordinal));
    }

    /// <summary>Types into a field, replacing what it holds (a datetime-local field takes its digits in order).</summary>
    public void Type(string name, string text)
    {
        var field = Field(name);
        field.Clear();
        field.SendKeys(text);
    }

    /// <summary>Chooses an option of a list by typing its first letters, as a keyboard user does.</summary>
    public void Pick(string name, string value)
    {
        var label = Find($"select[name='{name}'] option[value='{value}']").Text;
        Field(name).SendKeys(label.Split(' ', ',')[0]); // the first word: a space would open the list
        Field(name).GetDomProperty("value").ShouldBe(value);
    }

    public void Choose(string name, string value) => Find($"input[name='{name}'][value='{value}']").SendKeys(Keys.Space);

    /// <summary>Sends the form the field belongs to, from the keyboard (Enter on its submit button), and waits for the next page.</summary>
    public void Submit(string buttonText)
    {
        var before = Driver.Url;
        Driver.FindElements(By.CssSelector("button[type='submit']")).First(b => b.Text.Trim() == buttonText).SendKeys(Keys.Enter);
        WaitFor(d => d.Url != before && Ready(d));
    }

    /// <summary>Follows a link from the keyboard (Enter on it).</summary>
    public void Follow(string linkText)
    {
        var before = Driver.Url;
        Driver.FindElement(By.PartialLinkText(linkText)).SendKeys(Keys.Enter);
        WaitFor(d => d.Url != before && Ready(d));
    }

    /// <summary>
    /// axe-core (tests/…/Console/Browser/node_modules, installed by npm ci) on the current page, WCAG 2.0/2.1 A and AA
    /// rules: the violations of serious or critical impact, as "rule: target" lines.
    /// </summary>
    public IReadOnlyList<string> SeriousAccessibilityViolations()
    {
        ((IJavaScriptExecutor)Driver).ExecuteScript(Axe.Source.Value);
        var result = ((IJavaScriptExecutor)Driver).ExecuteAsyncScript("""
            var done = arguments[arguments.length - 1];
            axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
              .then(function (r) {
                done(r.violations.filter(function (v) { return v.impact === 'serious' || v.impact === 'critical'; })
                  .map(function (v) { return v.id + ' (' + v.impact + '): ' + v.nodes.map(function (n) { return n.target.join(' '); }).join(', '); }));
              })
              .catch(function (e) { done(['axe failed: ' + e]); });
            """);
        return [.. ((IEnumerable<object>)result!).Select(o => o.ToString()!)];
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
    }
}

internal static class Axe
{
    public static readonly Lazy<string> Source = new(() =>
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "Pare.Cell.sln"))) directory = directory.Parent;
        var path = System.IO.Path.Combine(directory!.FullName, "tests", "Pare.Cell.Api.Tests", "Console", "Browser", "node_modules", "axe-core", "axe.min.js");
        File.Exists(path).ShouldBeTrue($"axe-core is missing: run `npm ci` in {System.IO.Path.GetDirectoryName(System.IO.Path.GetDirectoryName(System.IO.Path.GetDirectoryName(path)))} (.ci/run does).");
        return File.ReadAllText(path);
    });
}
