using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Foundation;

[Collection(ApiCollection.Name)]
public sealed class JobsDashboardTests(PareApp app)
{
    private string Token(string role) => new TokenIssuer(app.Services.GetRequiredService<AuthSettings>(), TimeProvider.System).Issue($"{role}-1", PareApp.CellA, [role]);

    [Fact]
    public async Task The_Hangfire_dashboard_is_for_heads_and_admins_only()
    {
        (await app.Anonymous().GetAsync("/hangfire")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await app.Anonymous().GetAsync($"/hangfire?access_token={Token(Roles.Worker)}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await app.Anonymous().GetAsync($"/hangfire?access_token={Token(Roles.Head)}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await app.Anonymous().GetAsync($"/hangfire?access_token={Token(Roles.Admin)}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_dashboard_cannot_change_the_jobs_every_cell_shares()
    {
        foreach (var role in new[] { Roles.Head, Roles.Admin })
        {
            var removal = await app.Anonymous().PostAsync($"/hangfire/recurring/remove?access_token={Token(role)}",
                new FormUrlEncodedContent([new("jobs[]", "open-episode-review")]));
            // Refused either way: by Hangfire's antiforgery check (403, since the console registers antiforgery),
            // or by the read-only dashboard (401). Never a 2xx or a redirect.
            removal.StatusCode.ShouldBeOneOf(HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden);
        }
    }

    [Fact]
    public async Task A_query_token_is_only_read_on_the_dashboard()
    {
        (await app.Anonymous().GetAsync($"/api/v1/cases?access_token={Token(Roles.Head)}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
