using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;
using Pare.Cell.Api.Partners;
using Pare.Cell.Api.WebConsole.Infrastructure;

namespace Pare.Cell.Api.Infrastructure.Auth;

/// <summary>
/// JWT bearer authentication. <c>Auth:Issuer</c> and <c>Auth:Audience</c> always; then either
/// <c>Auth:SigningKey</c> (HS256 shared secret) or <c>Auth:Authority</c> (an OpenID Connect
/// provider). In Development without either, a key is generated once and kept outside the repo.
/// <para>
/// Partner tokens are the API's own (client credentials at <c>/api/v1/partner-auth/token</c>), signed
/// HS256 with <c>Partners:TokenSigningKey</c>, else the signing key. With an authority and no signing key,
/// the partner key is required (the API does not start without it), and a token it signed is a partner's
/// token only: one claiming any other role is refused, so the key can never stand in for the provider.
/// </para>
/// </summary>
public static class Authentication
{
    public static IServiceCollection AddPareAuthentication(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var settings = AuthSettings.From(configuration, environment);
        services.AddSingleton(settings);
        services.AddHttpContextAccessor();
        services.AddScoped<CurrentUser>();
        var console = ConsoleSettings.From(configuration, environment);
        services.AddSingleton(console);

        // Bearer tokens for the API; the console's cookie under /app (ConsoleAuthentication.Selector picks).
        services.AddAuthentication(ConsoleAuthentication.Selector)
            .AddPareConsole(console)
            .AddJwtBearer(options =>
            {
                options.MapInboundClaims = false;
                if (settings.Authority is not null)
                {
                    options.Authority = settings.Authority;
                    // https, except a provider on loopback (a test issuer, a local relay).
                    options.RequireHttpsMetadata = !AuthSettings.IsLoopback(settings.Authority);
                }
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = settings.Issuer,
                    ValidAudience = settings.Audience,
                    IssuerSigningKeys = settings.SymmetricKeys,
                    ValidateIssuerSigningKey = true,
                    // Only the configured algorithms: HS256 with the shared key, the provider's
                    // asymmetric ones with an authority (never HS384/HS512 with our key, never none).
                    ValidAlgorithms = settings.Algorithms,
                    RequireSignedTokens = true,
                    RequireExpirationTime = true,
                    ClockSkew = TokenRules.ClockSkew,
                    NameClaimType = Claims.Name,
                    RoleClaimType = Claims.Role,
                };
                options.Events = new JwtBearerEvents
                {
                    OnMessageReceived = DashboardToken.Read,
                    // A partner client revoked a second ago is refused now, not when its token expires.
                    OnTokenValidated = async context =>
                    {
                        var user = context.Principal!;
                        if (TokenRules.Refusal(context.SecurityToken, user, TimeProvider.System.GetUtcNow()) is { } refusal)
                        {
                            context.Fail(refusal);
                            return;
                        }
                        if (settings.SignedByPartnerKeyOnly(context.SecurityToken) && !TokenRules.IsPartnerOnly(user))
                        {
                            context.Fail("The partner signing key signs partner tokens only.");
                            return;
                        }
                        if (!user.IsInRole(Partners.PartnerClaims.Role)) return;
                        var clients = context.HttpContext.RequestServices.GetRequiredService<Partners.PartnerClients>();
                        if (!await clients.IsActiveAsync(user.FindFirst(Claims.Subject)!.Value, context.HttpContext.RequestAborted))
                            context.Fail("Partner client revoked.");
                    },
                };
            });

        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationHandler, ScopeRequirementHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(AccessPolicies.CaseWork, p => p.RequireClaim(Claims.Cell).RequireRole(Roles.Worker, Roles.Head))
            .AddPolicy(AccessPolicies.HeadOnly, p => p.RequireClaim(Claims.Cell).RequireRole(Roles.Head))
            .AddPolicy(AccessPolicies.CellMember, p => p.RequireClaim(Claims.Cell).RequireRole(Roles.Worker, Roles.Head, Roles.Admin))
            .AddPolicy(AccessPolicies.PolicyEditor, p => p.RequireClaim(Claims.Cell).RequireRole(Roles.Head, Roles.Admin))
            .AddPolicy(AccessPolicies.PartnerRead, p => p.RequireClaim(Claims.Cell).RequireRole(Partners.PartnerClaims.Role).AddRequirements(new ScopeRequirement("referrals:read")))
            .AddPolicy(AccessPolicies.PartnerRespond, p => p.RequireClaim(Claims.Cell).RequireRole(Partners.PartnerClaims.Role).AddRequirements(new ScopeRequirement("referrals:respond")))
            .AddPolicy(AccessPolicies.PartnerReportEpisodes, p => p.RequireClaim(Claims.Cell).RequireRole(Partners.PartnerClaims.Role).AddRequirements(new ScopeRequirement("episodes:report")));
        return services;
    }
}

/// <summary>
/// A browser cannot send a bearer header to the Hangfire dashboard: open <c>/hangfire?access_token=…</c>
/// once, and the token is kept in an HttpOnly cookie scoped to <c>/hangfire</c>. Nowhere else.
/// </summary>
internal static class DashboardToken
{
    private const string Cookie = "pare_dashboard";

    public static Task Read(MessageReceivedContext context)
    {
        var http = context.HttpContext;
        if (!http.Request.Path.StartsWithSegments("/hangfire") || http.Request.Headers.Authorization.Count > 0) return Task.CompletedTask;
        if (http.Request.Query["access_token"].ToString() is { Length: > 0 } token)
        {
            context.Token = token;
            http.Response.Cookies.Append(Cookie, token, new CookieOptions
            {
                HttpOnly = true, Secure = http.Request.IsHttps, SameSite = SameSiteMode.Strict, Path = "/hangfire", MaxAge = TimeSpan.FromHours(8),
            });
        }
        else if (http.Request.Cookies[Cookie] is { Length: > 0 } cookie)
        {
            context.Token = cookie;
        }
        return Task.CompletedTask;
    }
}

public sealed record AuthSettings(string Issuer, string Audience, SymmetricSecurityKey? SigningKey, string? Authority)
{
    /// <summary>What signs partner tokens: <c>Partners:TokenSigningKey</c>, else <see cref="SigningKey"/>.</summary>
    public SymmetricSecurityKey? PartnerSigningKey { get; init; }

    /// <summary>The HS256 keys tokens may be signed with: the signing key, the partner key (the provider's come from its JWKS).</summary>
    public IReadOnlyList<SecurityKey> SymmetricKeys => [.. new[] { SigningKey, PartnerSigningKey }.OfType<SymmetricSecurityKey>().DistinctBy(k => Convert.ToBase64String(k.Key))];

    /// <summary>A token whose signature only the partner key can have made (not the signing key, when both exist).</summary>
    public bool SignedByPartnerKeyOnly(SecurityToken token) =>
        PartnerSigningKey is { } partner && token.SigningKey is SymmetricSecurityKey used
        && CryptographicOperations.FixedTimeEquals(used.Key, partner.Key)
        && (SigningKey is null || !CryptographicOperations.FixedTimeEquals(SigningKey.Key, partner.Key));

    public static bool IsLoopback(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.IsLoopback;

    /// <summary>The provider's signing algorithms: asymmetric only (<c>Auth:Algorithms</c> narrows them).</summary>
    private static readonly string[] AuthorityAlgorithms =
    [
        SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
        SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
        SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384, SecurityAlgorithms.EcdsaSha512,
    ];

    /// <summary>HS256 with the signing key; with an authority, its algorithms (<c>Auth:Algorithms</c>, else the asymmetric ones).</summary>
    public string[] Algorithms { get; init; } = [];

    public static AuthSettings From(IConfiguration configuration, IHostEnvironment environment)
    {
        var issuer = configuration["Auth:Issuer"] ?? "pare-cell";
        var audience = configuration["Auth:Audience"] ?? "pare-cell-api";
        var authority = configuration["Auth:Authority"];
        var key = configuration["Auth:SigningKey"];

        if (string.IsNullOrWhiteSpace(key) && string.IsNullOrWhiteSpace(authority))
        {
            if (!environment.IsDevelopment())
                throw new InvalidOperationException("Set Auth:SigningKey or Auth:Authority: no token can be validated without one.");
            key = DevelopmentSigningKey();
        }

        var signingKey = Key(key, "Auth:SigningKey");
        var partnerKey = Key(configuration["Partners:TokenSigningKey"], "Partners:TokenSigningKey") ?? signingKey
            ?? throw new InvalidOperationException(
                "Set Partners:TokenSigningKey (32+ bytes): with Auth:Authority and no Auth:SigningKey, it signs the partners' tokens (POST /api/v1/partner-auth/token).");
        var configured = configuration.GetSection("Auth:Algorithms").Get<string[]>() ?? [];
        if (configured.Any(a => !AuthorityAlgorithms.Contains(a)))
            throw new InvalidOperationException($"Auth:Algorithms takes {string.Join(", ", AuthorityAlgorithms)}.");
        string[] algorithms =
        [
            SecurityAlgorithms.HmacSha256, // the signing key's, or the partner key's
            .. string.IsNullOrWhiteSpace(authority) ? [] : configured.Length > 0 ? configured : AuthorityAlgorithms,
        ];
        return new AuthSettings(issuer, audience, signingKey, string.IsNullOrWhiteSpace(authority) ? null : authority) { Algorithms = algorithms, PartnerSigningKey = partnerKey };
    }

    private static SymmetricSecurityKey? Key(string? value, string name)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var bytes = System.Text.Encoding.UTF8.GetBytes(value);
        if (bytes.Length < 32) throw new InvalidOperationException($"{name} must be at least 32 bytes long.");
        return new SymmetricSecurityKey(bytes);
    }

    /// <summary>Generated on first run, kept in the user's profile: never in the repository.</summary>
    private static string DevelopmentSigningKey()
    {
        var folder = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData, Environment.SpecialFolderOption.Create), "pare-cell");
        var file = Path.Combine(folder, "dev-signing-key");
        if (File.Exists(file)) return File.ReadAllText(file).Trim();
        Directory.CreateDirectory(folder);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
        File.WriteAllText(file, key);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return key;
    }
}
