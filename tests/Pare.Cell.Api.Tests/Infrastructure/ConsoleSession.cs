using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Pare.Cell.Api.Tests.Infrastructure;

/// <summary>
/// A member signed in to the console through its Development sign-in page, as a browser would be: cookies
/// kept, redirects not followed (tests look at them), forms posted with the page's antiforgery token and
/// idempotency key.
/// </summary>
public sealed partial class ConsoleSession(HttpClient client)
{
    public HttpClient Client { get; } = client;

    public static HttpClient Browser(PareApp app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public static async Task<ConsoleSession> SignInAsync(PareApp app, string user = "worker-amel", string role = "worker", string cell = PareApp.CellA)
    {
        var client = Browser(app);
        var page = await client.GetStringAsync("/app/connexion");
        var response = await client.PostAsync("/app/connexion", Form(new() { ["csrf"] = Hidden(page, "csrf"), ["user"] = user, ["role"] = role, ["cell"] = cell }));
        response.StatusCode.ShouldBe(HttpStatusCode.SeeOther, await response.Content.ReadAsStringAsync());
        return new ConsoleSession(client);
    }

    public async Task<(HttpResponseMessage Response, string Html)> GetAsync(string path)
    {
        var response = await Client.GetAsync(path);
        return (response, await response.Content.ReadAsStringAsync());
    }

    /// <summary>GETs the page, fills its form's hidden fields (antiforgery token, idempotency key) and posts the fields given.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string path, Dictionary<string, string> fields, string? action = null)
    {
        var (response, html) = await GetAsync(path);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, html);
        return await PostAsync(action ?? path, html, fields);
    }

    public Task<HttpResponseMessage> PostAsync(string path, string html, Dictionary<string, string> fields)
    {
        // Every hidden field of the page, as the browser would send them (the first form's, for repeated names).
        var all = new Dictionary<string, string>();
        foreach (Match input in HiddenInput().Matches(html))
        {
            var name = Attribute(input.Value, "name");
            if (name is not null && !all.ContainsKey(name)) all[name] = Attribute(input.Value, "value") ?? "";
        }
        foreach (var (key, value) in fields) all[key] = value;
        return Client.PostAsync(path, Form(all));
    }

    public static FormUrlEncodedContent Form(Dictionary<string, string> fields) => new(fields);

    public static FormUrlEncodedContent Form(IEnumerable<KeyValuePair<string, string>> fields) => new(fields);

    public static string Hidden(string html, string name)
    {
        var match = Regex.Match(html, $"<input[^>]*name=\"{Regex.Escape(name)}\"[^>]*value=\"([^\"]*)\"");
        if (!match.Success) match = Regex.Match(html, $"<input[^>]*value=\"([^\"]*)\"[^>]*name=\"{Regex.Escape(name)}\"");
        match.Success.ShouldBeTrue($"No hidden field {name} in the page.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    public static bool HasHidden(string html, string name) => html.Contains($"name=\"{name}\"", StringComparison.Ordinal);

    /// <summary>The error summary of a redisplayed form (or the start of the page), for assertion messages.</summary>
    public static string Errors(string html)
    {
        var start = html.IndexOf("error-summary", StringComparison.Ordinal);
        return start < 0 ? html[..Math.Min(html.Length, 3000)] : html[start..Math.Min(html.Length, start + 1500)];
    }

    /// <summary>The page's title element.</summary>
    public static string Title(string html) => WebUtility.HtmlDecode(TitlePattern().Match(html).Groups[1].Value);

    private static string? Attribute(string tag, string name) =>
        Regex.Match(tag, $"\\s{name}=\"([^\"]*)\"") is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*>")]
    private static partial Regex HiddenInput();

    [GeneratedRegex("<title>([^<]*)</title>")]
    private static partial Regex TitlePattern();
}
