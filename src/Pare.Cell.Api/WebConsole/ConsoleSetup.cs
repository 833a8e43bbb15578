using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using Pare.Cell.Api.WebConsole.Infrastructure;

namespace Pare.Cell.Api.WebConsole;

/// <summary>
/// The web console: Razor Pages rendered on the server under <c>/app</c>, in French, signed in with a
/// cookie (see <see cref="ConsoleAuthentication"/>). Served by the API process itself; not part of the
/// API's OpenAPI document.
/// </summary>
public static class ConsoleSetup
{
    public static IServiceCollection AddPareConsole(this IServiceCollection services)
    {
        services.AddRazorPages(options =>
            {
                options.RootDirectory = "/WebConsole/Pages";
                options.Conventions.AuthorizeFolder("/");
                options.Conventions.AllowAnonymousToPage("/SignIn");
            })
            .AddMvcOptions(options =>
            {
                // Pages validate through the API's validators, not through MVC's implicit [Required].
                options.SuppressImplicitRequiredAttributeForNonNullableReferenceTypes = true;
                var messages = options.ModelBindingMessageProvider;
                messages.SetValueIsInvalidAccessor(_ => "La valeur saisie n'est pas valide.");
                messages.SetAttemptedValueIsInvalidAccessor((_, _) => "La valeur saisie n'est pas valide.");
                messages.SetValueMustNotBeNullAccessor(_ => "Ce champ est obligatoire.");
                messages.SetMissingBindRequiredValueAccessor(_ => "Ce champ est obligatoire.");
                messages.SetValueMustBeANumberAccessor(_ => "Un nombre est attendu.");
                messages.SetNonPropertyAttemptedValueIsInvalidAccessor(_ => "La valeur saisie n'est pas valide.");
                messages.SetUnknownValueIsInvalidAccessor(_ => "La valeur saisie n'est pas valide.");
                messages.SetNonPropertyUnknownValueIsInvalidAccessor(() => "La valeur saisie n'est pas valide.");
                messages.SetNonPropertyValueMustBeANumberAccessor(() => "Un nombre est attendu.");
                messages.SetMissingKeyOrValueAccessor(() => "Ce champ est obligatoire.");
                messages.SetMissingRequestBodyRequiredValueAccessor(() => "Le formulaire est vide.");
            });
        // Accented letters as they are ("Rôle", not "R&#xF4;le"): French pages, lighter on the wire.
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "pare_csrf";
            options.Cookie.Path = ConsolePaths.Root;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.FormFieldName = "csrf";
            options.HeaderName = "X-CSRF-Token";
        });
        services.AddOptions<Microsoft.AspNetCore.Antiforgery.AntiforgeryOptions>()
            .Configure<ConsoleSettings>((options, settings) => options.Cookie.SecurePolicy =
                settings.SecureCookies ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest);
        services.AddDataProtection().SetApplicationName("pare-cell");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>, StoreKeysInDatabase>();
        // Data protection reads its key ring from the database when the host starts: a database slow to
        // answer would hold the start of every API and job server (which never uses it). The keys are read
        // when a console request first needs them instead; /health/ready reports the database meanwhile.
        foreach (var warmUp in services.Where(s => s.ServiceType == typeof(IHostedService) && s.ImplementationType?.Name == "DataProtectionHostedService").ToList())
            services.Remove(warmUp);
        // Before the API's writer: under /app an error is a French page.
        services.Insert(0, ServiceDescriptor.Singleton<IProblemDetailsWriter, ConsoleErrorPages>());
        services.AddSingleton<ConsoleAssets>();
        return services;
    }

    /// <summary>Before authentication: the stylesheet and script need no session.</summary>
    public static WebApplication UsePareConsoleAssets(this WebApplication app)
    {
        app.UseStaticFiles(app.Services.GetRequiredService<ConsoleAssets>().StaticFileOptions);
        return app;
    }

    public static WebApplication MapPareConsole(this WebApplication app)
    {
        app.MapRazorPages();
        app.MapGet(ConsolePaths.Live, LiveBoard.StreamAsync).RequireAuthorization(Api.Infrastructure.Auth.AccessPolicies.CaseWork).ExcludeFromDescription();
        return app;
    }
}
