using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Pare.Cell.Api.WebConsole.Infrastructure;

namespace Pare.Cell.Api.WebConsole.Pages;

/// <summary>Sign-out is a POST with the antiforgery token (a link could sign anyone out); with an identity provider, its session ends too.</summary>
public sealed class SignOutModel(ConsoleSettings settings) : ConsolePage
{
    public IActionResult OnGet() => new SeeOther(ConsolePaths.Root);

    public async Task<IActionResult> OnPostAsync()
    {
        await HttpContext.SignOutAsync(ConsoleAuthentication.CookieScheme);
        const string signedOut = ConsoleAuthentication.SignInPath + "?sortie=1";
        if (settings.OpenIdConnect)
            return SignOut(new AuthenticationProperties { RedirectUri = signedOut }, ConsoleAuthentication.OidcScheme);
        return new SeeOther(signedOut);
    }
}
