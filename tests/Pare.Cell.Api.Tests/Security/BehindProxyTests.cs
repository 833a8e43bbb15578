using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Security;

/// <summary>
/// The app as deployed: Production settings, behind a reverse proxy at 10.0.0.1 (the only one
/// configured), three anonymous requests a minute per client. The TCP peer of each request is
/// what the test names in <see cref="PeerHeader"/> (the test server has no sockets).
/// </summary>
public sealed class ProductionBehindProxyApp : PareApp
{
    public const string PeerHeader = "X-Test-Tcp-Peer";
    public const string Proxy = "10.0.0.1";

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("ForwardedHeaders:KnownProxies:0", Proxy);
        builder.UseSetting("RateLimits:AnonymousPerMinute", "3");
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new TcpPeer()));
    }

    private sealed class TcpPeer : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, following) =>
            {
                context.Connection.RemoteIpAddress = IPAddress.Parse(context.Request.Headers[PeerHeader].ToString() is { Length: > 0 } peer ? peer : "192.0.2.1");
                return following(context);
            });
            next(app);
        };
    }
}

public sealed class BehindProxyTests(ProductionBehindProxyApp app) : IClassFixture<ProductionBehindProxyApp>
{
    private async Task<HttpStatusCode> AnonymousFromAsync(string peer, string? forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/cases");
        request.Headers.Add(ProductionBehindProxyApp.PeerHeader, peer);
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        return (await app.Anonymous().SendAsync(request)).StatusCode;
    }

    [Fact]
    public async Task Behind_the_configured_proxy_each_client_has_its_own_anonymous_bucket()
    {
        for (var i = 0; i < 3; i++) (await AnonymousFromAsync(ProductionBehindProxyApp.Proxy, "203.0.113.5")).ShouldBe(HttpStatusCode.Unauthorized);
        (await AnonymousFromAsync(ProductionBehindProxyApp.Proxy, "203.0.113.5")).ShouldBe(HttpStatusCode.TooManyRequests);

        (await AnonymousFromAsync(ProductionBehindProxyApp.Proxy, "203.0.113.6")).ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_client_cannot_choose_its_bucket_by_writing_the_header_itself()
    {
        // Straight to the API, not through the proxy: the header is ignored.
        for (var i = 0; i < 3; i++) (await AnonymousFromAsync("198.51.100.9", $"203.0.113.{100 + i}")).ShouldBe(HttpStatusCode.Unauthorized);
        (await AnonymousFromAsync("198.51.100.9", "203.0.113.200")).ShouldBe(HttpStatusCode.TooManyRequests);

        // Through the proxy, which appends the real client: what the client wrote on the left is ignored.
        for (var i = 0; i < 3; i++) (await AnonymousFromAsync(ProductionBehindProxyApp.Proxy, $"198.51.100.{i}, 203.0.113.77")).ShouldBe(HttpStatusCode.Unauthorized);
        (await AnonymousFromAsync(ProductionBehindProxyApp.Proxy, "198.51.100.50, 203.0.113.77")).ShouldBe(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task The_jobs_dashboard_is_off_by_default_in_Production()
    {
        var operatorToken = new TokenIssuer(app.Services.GetRequiredService<AuthSettings>(), TimeProvider.System).IssueOperator("operator-1");
        (await app.Anonymous().GetAsync($"/hangfire?access_token={operatorToken}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
