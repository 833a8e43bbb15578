using System.Net;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Security;

public sealed class RateLimitedApp : PareApp
{
    protected override int RateLimit => 5;
}

public sealed class RateLimitTests(RateLimitedApp app) : IClassFixture<RateLimitedApp>
{
    [Fact]
    public async Task A_caller_over_the_limit_gets_429_with_Retry_After_and_others_are_not_affected()
    {
        var worker = app.Worker();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++) statuses.Add((await worker.GetAsync("/api/v1/cases")).StatusCode);

        statuses.Take(5).ShouldAllBe(s => s == HttpStatusCode.OK);
        var limited = await worker.GetAsync("/api/v1/cases");
        limited.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter.ShouldNotBeNull();
        limited.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await app.Head().GetAsync("/api/v1/cases")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}

[Collection(ApiCollection.Name)]
public sealed class ProtectionTests(PareApp app)
{
    [Fact]
    public async Task API_responses_carry_security_headers_and_are_never_cached()
    {
        var response = await app.Worker().GetAsync("/api/v1/cases");
        response.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
        response.Headers.GetValues("X-Frame-Options").ShouldBe(["DENY"]);
        response.Headers.GetValues("Referrer-Policy").ShouldBe(["no-referrer"]);
        response.Headers.CacheControl!.NoStore.ShouldBeTrue();
        response.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("default-src 'none'");
        response.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
    }

    [Fact]
    public async Task CORS_is_closed_by_default()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/cases");
        request.Headers.Add("Origin", "https://evil.example");
        request.Headers.Add("Access-Control-Request-Method", "GET");
        var response = await app.Anonymous().SendAsync(request);
        response.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
    }

    [Fact]
    public async Task A_body_over_one_megabyte_is_refused_with_413()
    {
        var huge = $"{{\"firstName\":\"{new string('x', 1_100_000)}\"}}";
        var response = await app.Worker().PostRawAsync("/api/v1/cases", huge);
        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
    }
}
