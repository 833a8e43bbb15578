using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Pare.Cell.Api.Infrastructure.Auth;

namespace Pare.Cell.Api.WebConsole.Infrastructure;

/// <summary>
/// How the console signs people in. <c>Console:ClientId</c> with <c>Auth:Authority</c>: OpenID Connect
/// (authorization code with PKCE). Without an authority, in Development and Testing: a page that picks a
/// demo user and role. Anywhere else the console has no sign-in and says so.
/// </summary>
public sealed record ConsoleSettings(
    TimeSpan IdleTimeout,
    TimeSpan MaxSession,
    string? Authority,
    string? ClientId,
    string? ClientSecret,
    bool DemoSignIn,
    IReadOnlyList<string> DemoCells,
    TimeSpan LivePollInterval,
    bool SecureCookies)
{
    public bool OpenIdConnect => Authority is not null && ClientId is not null;

    public static ConsoleSettings From(IConfiguration configuration, IHostEnvironment environment)
    {
        var authority = Blank(configuration["Auth:Authority"]);
        var local = environment.IsDevelopment() || environment.IsEnvironment("Testing");
        return new ConsoleSettings(
            configuration.GetValue("Console:IdleTimeout", TimeSpan.FromMinutes(30)),
            configuration.GetValue("Console:MaxSession", TimeSpan.FromHours(12)),
            authority,
            Blank(configuration["Console:ClientId"]),
            Blank(configuration["Console:ClientSecret"]),
            authority is null && local,
            (configuration["Console:DemoCells"] ?? TokenIssuer.DemoCell).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            configuration.GetValue("Console:LivePollInterval", TimeSpan.FromSeconds(1)),
            !local);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

public static class ConsoleAuthentication
{
    public const string CookieScheme = "console";
    public const string OidcScheme = "console-oidc";

    /// <summary>The default scheme: the console's cookie under <c>/app</c>, bearer tokens everywhere else.</summary>
    public const string Selector = "pare";

    public const string SignInPath = "/app/connexion";
    public const string ReturnParameter = "retour";
    private const string SignedInAt = "pare.signedInAt";

    /// <summary>
    /// Cookies never authenticate an API call (no CSRF on the API) and bearer tokens never open a console
    /// page: each path has exactly one scheme.
    /// </summary>
    public static AuthenticationBuilder AddPareConsole(this AuthenticationBuilder auth, ConsoleSettings settings)
    {
        auth.AddPolicyScheme(Selector, "API or console", o => o.ForwardDefaultSelector = http =>
            http.Request.IsConsole() ? CookieScheme : JwtBearerDefaults.AuthenticationScheme);

        auth.AddCookie(CookieScheme, o =>
        {
            o.Cookie.Name = "pare_console";
            o.Cookie.Path = ConsolePaths.Root;
            o.Cookie.HttpOnly = true;
            // Lax: the identity provider sends the browser back to /app by a cross-site redirect.
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = settings.SecureCookies ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = settings.IdleTimeout;
            o.SlidingExpiration = true;
            o.LoginPath = SignInPath;
            o.ReturnUrlParameter = ReturnParameter;
            o.Events = new CookieAuthenticationEvents
            {
                // The live board's event stream is not a page: it gets a 401 and the page reloads to sign in.
                OnRedirectToLogin = context =>
                {
                    if (ConsolePaths.IsLive(context.Request)) context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    else context.Response.Redirect(context.RedirectUri);
                    return Task.CompletedTask;
                },
                // The live board's stream and refreshes are not the member's activity: an unattended board times out.
                OnCheckSlidingExpiration = context =>
                {
                    if (LiveBoard.IsAutomatic(context.Request)) context.ShouldRenew = false;
                    return Task.CompletedTask;
                },
                OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                },
                // However active, a session ends MaxSession (12 h) after sign-in: a shift, not a week. The
                // sign-in time is kept apart: sliding renewals move IssuedUtc.
                OnSigningIn = context =>
                {
                    var clock = context.Options.TimeProvider ?? TimeProvider.System;
                    if (!context.Properties.Items.ContainsKey(SignedInAt))
                        context.Properties.Items[SignedInAt] = clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
                    return Task.CompletedTask;
                },
                OnValidatePrincipal = async context =>
                {
                    var clock = context.Options.TimeProvider ?? TimeProvider.System;
                    if (context.Properties.Items.TryGetValue(SignedInAt, out var value) && long.TryParse(value, out var seconds)
                        && clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds) <= settings.MaxSession) return;
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(CookieScheme);
                },
            };
        });

        if (settings.OpenIdConnect)
        {
            auth.AddOpenIdConnect(OidcScheme, o =>
            {
                o.Authority = settings.Authority;
                o.ClientId = settings.ClientId;
                o.ClientSecret = settings.ClientSecret;
                o.ResponseType = OpenIdConnectResponseType.Code;
                o.UsePkce = true;
                // The code comes back in the query of a top-level GET: the SameSite=Lax correlation cookies travel with it.
                o.ResponseMode = OpenIdConnectResponseMode.Query;
                o.CallbackPath = "/app/signin-oidc";
                o.SignedOutCallbackPath = "/app/signout-callback-oidc";
                o.SignInScheme = CookieScheme;
                o.MapInboundClaims = false;
                o.GetClaimsFromUserInfoEndpoint = true;
                o.SaveTokens = false; // the console calls no API with them: the cookie stays small
                o.Scope.Clear();
                o.Scope.Add("openid");
                o.Scope.Add("profile");
                o.ClaimActions.MapUniqueJsonKey(Claims.Cell, Claims.Cell);
                o.ClaimActions.MapJsonKey(Claims.Role, Claims.Role);
                o.TokenValidationParameters.NameClaimType = Claims.Name;
                o.TokenValidationParameters.RoleClaimType = Claims.Role;
                o.CorrelationCookie.SameSite = SameSiteMode.Lax;
                o.NonceCookie.SameSite = SameSiteMode.Lax;
                o.CorrelationCookie.SecurePolicy = o.NonceCookie.SecurePolicy =
                    settings.SecureCookies ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            });
        }
        return auth;
    }

    /// <summary>A demo member of a cell, as the Development sign-in page creates them.</summary>
    public static ClaimsPrincipal DemoPrincipal(string userId, string name, string cell, string role) =>
        new(new ClaimsIdentity(
            [new Claim(Claims.Subject, userId), new Claim(Claims.Name, name), new Claim(Claims.Cell, cell), new Claim(Claims.Role, role)],
            CookieScheme, Claims.Name, Claims.Role));
}
