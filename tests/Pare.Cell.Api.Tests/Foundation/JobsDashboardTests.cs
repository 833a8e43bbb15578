using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Foundation;

[Collection(ApiCollection.Name)]
public sealed class JobsDashboardTests(PareApp app)
{
    private TokenIssuer Issuer => new(app.Services.GetRequiredService<AuthSettings>(), TimeProvider.System);

    private string Token(string role) => role == Roles.Operator ? Issuer.IssueOperator("operator-1") : Issuer.Issue($"{role}-1", PareApp.CellA, [role]);

    [Fact]
    public async Task The_Hangfire_dashboard_is_for_the_deployment_operator_only_never_a_member_of_a_cell()
    {
        (await app.Anonymous().GetAsync("/hangfire")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        foreach (var role in new[] { Roles.Worker, Roles.Head, Roles.Admin })
            (await app.Anonymous().GetAsync($"/hangfire?access_token={Token(role)}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden, role);
        // An admin token of no cell (the finding: it saw every cell's jobs) is no operator either.
        (await app.Anonymous().GetAsync($"/hangfire?access_token={AdminOfNoCell()}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await app.Anonymous().GetAsync($"/hangfire?access_token={Token(Roles.Operator)}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private string AdminOfNoCell()
    {
        var settings = app.Services.GetRequiredService<AuthSettings>();
        var now = DateTime.UtcNow;
        return new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            IssuedAt = now,
            Expires = now.AddHours(1),
            Claims = new Dictionary<string, object> { ["sub"] = "admin-1", ["role"] = Roles.Admin },
            SigningCredentials = new(settings.SigningKey, Microsoft.IdentityModel.Tokens.SecurityAlgorithms.HmacSha256),
        });
    }

    [Fact]
    public async Task An_operator_reaches_no_cell_s_data()
    {
        var client = app.Anonymous();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token(Roles.Operator));
        foreach (var route in new[] { "/api/v1/cases", "/api/v1/policy", "/api/v1/partners", "/api/v1/access-journal", "/api/v1/alerts" })
            (await client.GetAsync(route)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, route);
    }

    [Fact]
    public async Task The_dashboard_cannot_change_the_jobs_every_cell_shares()
    {
        var removal = await app.Anonymous().PostAsync($"/hangfire/recurring/remove?access_token={Token(Roles.Operator)}",
            new FormUrlEncodedContent([new("jobs[]", "open-episode-review")]));
        // Refused either way: by Hangfire's antiforgery check (403, since the console registers antiforgery),
        // or by the read-only dashboard (401). Never a 2xx or a redirect.
        removal.StatusCode.ShouldBeOneOf(HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_query_token_is_only_read_on_the_dashboard()
    {
        (await app.Anonymous().GetAsync($"/api/v1/cases?access_token={Token(Roles.Head)}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
