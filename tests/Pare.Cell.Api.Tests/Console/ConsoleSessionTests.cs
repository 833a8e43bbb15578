using System.Net;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Console;

/// <summary>Signing in and out of the console, its session cookie, CSRF protection, and what its pages send back.</summary>
[Collection(ApiCollection.Name)]
public sealed class ConsoleSessionTests(PareApp app)
{
    [Fact]
    public async Task A_page_without_a_session_sends_the_browser_to_the_sign_in_page_and_back()
    {
        var response = await ConsoleSession.Browser(app).GetAsync("/app");

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldBe("http://localhost/app/connexion?retour=%2Fapp");
    }

    [Fact]
    public async Task A_demo_member_signs_in_with_a_role_and_sees_their_day_in_French()
    {
        var session = await ConsoleSession.SignInAsync(app, "worker-bruno", "worker");

        var (response, html) = await session.GetAsync("/app");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        html.ShouldContain("<html lang=\"fr\">");
        html.ShouldContain("<h1>Ma journée</h1>");
        html.ShouldContain("Bruno");
        ConsoleSession.Title(html).ShouldBe("Ma journée — Pare.Cell");
    }

    [Fact]
    public async Task Console_pages_carry_a_strict_content_security_policy_and_are_never_cached()
    {
        var session = await ConsoleSession.SignInAsync(app);

        var (response, html) = await session.GetAsync("/app");

        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        policy.ShouldContain("default-src 'none'");
        policy.ShouldContain("script-src 'self'");
        policy.ShouldContain("style-src 'self'");
        policy.ShouldContain("frame-ancestors 'none'");
        policy.ShouldNotContain("unsafe-inline");
        policy.ShouldNotContain("unsafe-eval");
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        html.ShouldNotContain("<script>");
        html.ShouldNotContain(" style=\"");
        html.ShouldNotContain(" on", Case.Sensitive); // no inline event handler attributes such as onclick=
    }

    [Fact]
    public async Task The_stylesheet_and_script_are_served_without_a_session_and_cached_by_their_hash()
    {
        var session = await ConsoleSession.SignInAsync(app);
        var (_, html) = await session.GetAsync("/app");
        var script = System.Text.RegularExpressions.Regex.Match(html, "src=\"(/app/static/console\\.js\\?v=[0-9a-f]+)\"").Groups[1].Value;
        script.ShouldNotBeEmpty();

        var response = await ConsoleSession.Browser(app).GetAsync(script);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.CacheControl!.ToString().ShouldContain("immutable");
        (await response.Content.ReadAsStringAsync()).Length.ShouldBeLessThan(8 * 1024, "The console's script stays tiny.");
    }

    [Fact]
    public async Task A_form_posted_without_the_antiforgery_token_is_refused()
    {
        var client = ConsoleSession.Browser(app);
        await client.GetStringAsync("/app/connexion"); // gets the antiforgery cookie, not the token

        var response = await client.PostAsync("/app/connexion", ConsoleSession.Form(new() { ["user"] = "worker-amel", ["role"] = "worker", ["cell"] = PareApp.CellA }));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await client.GetAsync("/app")).StatusCode.ShouldBe(HttpStatusCode.Redirect, "Not signed in.");
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        var session = await ConsoleSession.SignInAsync(app);
        var (_, html) = await session.GetAsync("/app");

        var response = await session.PostAsync("/app/deconnexion", html, []);

        response.StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        response.Headers.Location!.OriginalString.ShouldBe("/app/connexion?sortie=1");
        (await session.Client.GetAsync("/app")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task An_idle_session_expires_after_thirty_minutes_and_an_active_one_lasts_a_shift_at_most()
    {
        var session = await ConsoleSession.SignInAsync(app);
        app.Clock.Advance(TimeSpan.FromMinutes(20));
        (await session.Client.GetAsync("/app")).StatusCode.ShouldBe(HttpStatusCode.OK, "Active 20 minutes later.");
        app.Clock.Advance(TimeSpan.FromMinutes(20));
        (await session.Client.GetAsync("/app")).StatusCode.ShouldBe(HttpStatusCode.OK, "Sliding: 20 minutes after the last request.");
        app.Clock.Advance(TimeSpan.FromMinutes(31));
        (await session.Client.GetAsync("/app")).StatusCode.ShouldBe(HttpStatusCode.Redirect, "Idle 31 minutes.");

        var busy = await ConsoleSession.SignInAsync(app);
        for (var hour = 0; hour < 12 * 4; hour++)
        {
            app.Clock.Advance(TimeSpan.FromMinutes(15));
            (await busy.Client.GetAsync("/app")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        app.Clock.Advance(TimeSpan.FromMinutes(15));
        (await busy.Client.GetAsync("/app")).StatusCode.ShouldBe(HttpStatusCode.Redirect, "Past 12 hours, however active.");
    }

    [Fact]
    public async Task A_bearer_token_opens_no_console_page_and_the_console_cookie_opens_no_API_route()
    {
        var token = app.Worker();
        var bearer = ConsoleSession.Browser(app);
        bearer.DefaultRequestHeaders.Authorization = token.DefaultRequestHeaders.Authorization;
        (await bearer.GetAsync("/app")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var session = await ConsoleSession.SignInAsync(app);
        (await session.Client.GetAsync("/api/v1/reminders")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_page_that_does_not_exist_is_a_French_page_not_JSON()
    {
        var session = await ConsoleSession.SignInAsync(app);

        var (response, html) = await session.GetAsync($"/app/dossiers/{Guid.NewGuid()}/rien");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        html.ShouldContain("Introuvable.", customMessage: html);
    }

    [Fact]
    public async Task The_console_is_not_part_of_the_API_document()
    {
        var document = await app.Anonymous().GetStringAsync("/swagger/v1/swagger.json");

        document.ShouldNotContain("/app");
    }
}
