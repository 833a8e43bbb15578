using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.WebConsole.Infrastructure;

namespace Pare.Cell.Api.WebConsole.Pages;

/// <summary>
/// With an identity provider: a challenge (authorization code + PKCE). In Development and Testing: a demo
/// member of a demo cell, with the role picked.
/// </summary>
public sealed class SignInModel(ConsoleSettings settings) : ConsolePage
{
    public const string Go = "go";

    public static readonly (string Id, string Label, string Role)[] DemoUsers =
    [
        ("worker-amel", "Amel, travailleuse sociale", Roles.Worker),
        ("worker-bruno", "Bruno, travailleur social", Roles.Worker),
        ("demo-head", "Camille, cheffe de service", Roles.Head),
        ("demo-admin", "Dominique, administration", Roles.Admin),
    ];

    public static readonly (string Value, string Label)[] DemoRoles =
    [
        (Roles.Worker, "Travailleur·se social·e"),
        (Roles.Head, "Chef·fe de service"),
        (Roles.Admin, "Administration"),
    ];

    public ConsoleSettings Settings => settings;

    protected override IReadOnlyDictionary<string, string> Labels { get; } = new Dictionary<string, string>
    {
        ["user"] = "Personne",
        ["role"] = "Rôle",
        ["cell"] = "Cellule",
    };

    [BindProperty(Name = "user")] public string? UserId { get; set; }
    [BindProperty(Name = "role")] public string? Role { get; set; }
    [BindProperty(Name = "cell")] public string? Cell { get; set; }
    [BindProperty(Name = ConsoleAuthentication.ReturnParameter, SupportsGet = true)] public string? ReturnUrl { get; set; }

    public bool SignedOut => Request.Query.ContainsKey("sortie");

    public IActionResult OnGet()
    {
        if (settings.OpenIdConnect && !SignedOut)
            return Challenge(new AuthenticationProperties { RedirectUri = SafeReturn(ReturnUrl) }, ConsoleAuthentication.OidcScheme);
        UserId ??= DemoUsers[0].Id;
        Role ??= DemoUsers[0].Role;
        Cell ??= settings.DemoCells[0];
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!settings.DemoSignIn) return NotFound();
        var user = DemoUsers.FirstOrDefault(u => u.Id == UserId);
        if (user.Id is null) ModelState.AddModelError("user", "Choisissez une personne de la liste.");
        if (!DemoRoles.Any(r => r.Value == Role)) ModelState.AddModelError("role", "Choisissez un rôle.");
        Cell ??= settings.DemoCells[0];
        if (!settings.DemoCells.Contains(Cell)) ModelState.AddModelError("cell", "Choisissez une cellule de la liste.");
        if (!ModelState.IsValid || user.Id is null) return Page();

        var principal = ConsoleAuthentication.DemoPrincipal(user.Id, user.Label.Split(',')[0], Cell, Role!);
        await HttpContext.SignInAsync(ConsoleAuthentication.CookieScheme, principal, new AuthenticationProperties { IsPersistent = false });
        return new SeeOther(SafeReturn(ReturnUrl));
    }

    /// <summary>Back where the member was going, if it is a console page; never another site.</summary>
    public static string SafeReturn(string? url) =>
        url is { Length: > 0 } && url.StartsWith(ConsolePaths.Root, StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal)
            && !url.Contains('\\') && (url.Length == ConsolePaths.Root.Length || url[ConsolePaths.Root.Length] is '/' or '?')
            ? url : ConsolePaths.Root;
}
