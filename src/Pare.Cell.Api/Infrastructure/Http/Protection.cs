using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.WebConsole.Infrastructure;

namespace Pare.Cell.Api.Infrastructure.Http;

/// <summary>
/// Abuse resistance: per-caller rate limits (429 with Retry-After), a bounded request body,
/// security headers, no caching of responses carrying minors' data, CORS closed unless origins
/// are configured, HSTS outside Development; behind a reverse proxy, the client's address from
/// <c>X-Forwarded-For</c> as the configured proxies state it, and only theirs.
/// </summary>
public static class Protection
{
    public static IServiceCollection AddPareProtection(this IServiceCollection services, IConfiguration configuration)
    {
        var (proxies, networks) = Proxies(configuration); // read now: a wrong address stops startup, naming the setting
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.ForwardLimit = null;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in proxies) options.KnownProxies.Add(proxy);
            foreach (var network in networks) options.KnownIPNetworks.Add(network);
        });
        var perUser = configuration.GetValue("RateLimits:PerCallerPerMinute", 1200);
        var anonymous = configuration.GetValue("RateLimits:AnonymousPerMinute", 120);
        services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                var subject = http.User.FindFirst(Claims.Subject)?.Value;
                if (subject is not null)
                    return perUser <= 0 ? RateLimitPartition.GetNoLimiter("unlimited")
                        : RateLimitPartition.GetFixedWindowLimiter($"{http.User.FindFirst(Claims.Cell)?.Value}/{subject}", _ => Window(perUser));
                if (http.Request.Path.StartsWithSegments("/health")) return RateLimitPartition.GetNoLimiter("health");
                return anonymous <= 0 ? RateLimitPartition.GetNoLimiter("unlimited")
                    : RateLimitPartition.GetFixedWindowLimiter($"ip/{http.Connection.RemoteIpAddress}", _ => Window(anonymous));
            });
            options.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? (int)Math.Ceiling(wait.TotalSeconds) : 60;
                context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext { HttpContext = context.HttpContext, ProblemDetails = new ProblemDetails { Status = 429 } });
            };
        });

        var origins = configuration.GetSection("Cors:AllowedOrigins").Get<string[]>() ?? [];
        if (origins.Length > 0)
            services.AddCors(o => o.AddDefaultPolicy(p => p.WithOrigins(origins).AllowAnyHeader().WithMethods("GET", "POST", "PUT", "DELETE")
                .WithExposedHeaders("ETag", "Location", "Retry-After", "Idempotent-Replayed")));
        return services;
    }

    /// <summary>
    /// <c>ForwardedHeaders:KnownProxies</c> (addresses) and <c>ForwardedHeaders:KnownNetworks</c>
    /// (CIDR): the only peers whose <c>X-Forwarded-For</c>/<c>-Proto</c> are believed. None by
    /// default (not even loopback, ASP.NET Core's default): a client cannot choose its own address,
    /// and so its anonymous rate-limit bucket, by sending the header itself. Entries are read from
    /// the right while the peer is a known proxy, so a chain of proxies works and whatever a client
    /// wrote on the left is ignored.
    /// </summary>
    private static (System.Net.IPAddress[] Proxies, System.Net.IPNetwork[] Networks) Proxies(IConfiguration configuration)
    {
        const string proxies = "ForwardedHeaders:KnownProxies", networks = "ForwardedHeaders:KnownNetworks";
        return (
            Values(configuration, proxies).Select(v => System.Net.IPAddress.TryParse(v, out var a) ? a : throw Invalid(proxies, v)).ToArray(),
            Values(configuration, networks).Select(v => System.Net.IPNetwork.TryParse(v, out var n) ? n : throw Invalid(networks, v)).ToArray());
    }

    private static string[] Values(IConfiguration configuration, string key) => configuration.GetSection(key).Get<string[]>() ?? [];

    private static InvalidOperationException Invalid(string key, string value) => new($"{key}: '{value}' is not valid.");

    /// <summary>First of all: every later step (logs, rate limits, HTTPS) sees the client, not the proxy.</summary>
    public static WebApplication UsePareForwardedHeaders(this WebApplication app)
    {
        var (proxies, networks) = Proxies(app.Configuration);
        if (proxies.Length + networks.Length > 0) app.UseForwardedHeaders();
        return app;
    }

    private static FixedWindowRateLimiterOptions Window(int perMinute) =>
        new() { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0, AutoReplenishment = true };

    /// <summary>Before authentication: headers and HSTS. <see cref="UsePareRateLimits"/> comes after it.</summary>
    public static WebApplication UsePareProtection(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment()) app.UseHsts();
        var maxBody = app.Configuration.GetValue("Limits:MaxRequestBodyBytes", 1024 * 1024);
        var consolePolicy = ConsoleContentSecurityPolicy(app.Services.GetRequiredService<ConsoleSettings>());
        app.Use(async (context, next) =>
        {
            // Kestrel enforces the same limit on streamed bodies; this answers declared ones at once.
            // An endpoint may allow more (a photo upload): routing has already chosen it.
            var limit = context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? maxBody;
            if (limit != maxBody && context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
                size.MaxRequestBodySize = limit;
            if (context.Request.ContentLength > limit)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                await context.RequestServices.GetRequiredService<IProblemDetailsService>()
                    .WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = new ProblemDetails { Status = 413 } });
                return;
            }
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            if (context.Request.Path.StartsWithSegments("/api"))
            {
                headers.CacheControl = "no-store";
                headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
            }
            else if (context.Request.IsConsole() && !context.Request.IsConsoleAsset())
            {
                headers.CacheControl = "no-store";
                headers.ContentSecurityPolicy = consolePolicy;
            }
            await next();
        });
        if (app.Services.GetService<Microsoft.AspNetCore.Cors.Infrastructure.ICorsService>() is not null) app.UseCors();
        return app;
    }

    /// <summary>
    /// The console's pages: its own script and stylesheet only (no inline script, no style attribute), its
    /// own forms (and the identity provider's, whose sign-out a form redirects to), never framed.
    /// </summary>
    internal static string ConsoleContentSecurityPolicy(ConsoleSettings console)
    {
        var formAction = console.OpenIdConnect && Uri.TryCreate(console.Authority, UriKind.Absolute, out var authority)
            ? $"'self' {authority.GetLeftPart(UriPartial.Authority)}" : "'self'";
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
            + $"form-action {formAction}; frame-ancestors 'none'; base-uri 'none'";
    }

    public static WebApplication UsePareRateLimits(this WebApplication app)
    {
        app.UseRateLimiter();
        return app;
    }
}
