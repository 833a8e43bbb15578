using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Pare.Cell.Api.Partners;
using Pare.Cell.Api.Referrals;
using Pare.Cell.Api.Tests.Cases;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Referrals;

/// <summary>
/// Every answer a partner receives is built from what its referral shares: the only ids in it are
/// the referral's own and the episode's it reports on, never the case's (a partner never learns
/// a case id) nor anything else of the cell. Every partner route of the running app's route table
/// is called, writes included, until it answers 2xx; a new partner route fails here until it is.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed partial class PartnerAnswersTests(PareApp app)
{
    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex Ids();

    [Fact]
    public async Task Every_partner_route_answers_with_the_referral_s_and_episode_s_ids_only()
    {
        var cell = $"cell-pa-{Guid.NewGuid():N}"[..18];
        var worker = app.Worker(cell);
        var head = app.Head(cell);
        var partnerId = (await (await head.PostJsonAsync("/api/v1/partners", new { name = "Association", type = "association" })).ReadAsync<PartnerView>()).Id;
        var partner = await app.PartnerClientAsync(await head.IssueClientAsync(partnerId));
        var opened = await worker.OpenCaseAsync();
        async Task<Guid> SentAsync()
        {
            var drafted = await (await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/referrals",
                new { partnerId, reason = "Suivi", shares = new[] { "identity", "profile", "riskLevel", "openEpisode" }, guardianConsented = true })).ReadAsync<ReferralView>();
            (await worker.PostJsonAsync($"/api/v1/referrals/{drafted.Id}/sending", new { })).StatusCode.ShouldBe(HttpStatusCode.OK);
            return drafted.Id;
        }
        var followed = await SentAsync();
        var declined = await SentAsync();
        var episodeId = Guid.Empty;

        // In an order each step allows; each route by its pattern, as the route table names it.
        var calls = new List<(string Method, string Pattern, Func<Task<HttpResponseMessage>> Send)>
        {
            ("GET", "/api/v1/partner/referrals", () => partner.GetAsync("/api/v1/partner/referrals")),
            ("GET", "/api/v1/partner/referrals/{referralId:guid}", () => partner.GetAsync($"/api/v1/partner/referrals/{followed}")),
            ("POST", "/api/v1/partner/referrals/{referralId:guid}/acknowledgement", () => partner.PostJsonAsync($"/api/v1/partner/referrals/{followed}/acknowledgement", new { })),
            ("POST", "/api/v1/partner/referrals/{referralId:guid}/decline", () => partner.PostJsonAsync($"/api/v1/partner/referrals/{declined}/decline", new { reason = "Pas de place" })),
            ("POST", "/api/v1/partner/referrals/{referralId:guid}/acceptance", () => partner.PostJsonAsync($"/api/v1/partner/referrals/{followed}/acceptance", new { })),
            ("POST", "/api/v1/partner/referrals/{referralId:guid}/episodes", () => partner.PostJsonAsync($"/api/v1/partner/referrals/{followed}/episodes", Requests.Runaway(app.Clock.GetUtcNow().AddHours(-1)))),
            ("POST", "/api/v1/partner/referrals/{referralId:guid}/episodes/{episodeId:guid}/return",
                () => partner.PostJsonAsync($"/api/v1/partner/referrals/{followed}/episodes/{episodeId}/return", Requests.Return(app.Clock.GetUtcNow()))),
            ("POST", "/api/v1/partner/referrals/{referralId:guid}/progress", () => partner.PostJsonAsync($"/api/v1/partner/referrals/{followed}/progress", new { note = "Rendez-vous tenu" })),
            ("POST", "/api/v1/partner/referrals/{referralId:guid}/completion", () => partner.PostJsonAsync($"/api/v1/partner/referrals/{followed}/completion", new { note = "Terminé" })),
        };
        var partnerRoutes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/v1/partner/", StringComparison.Ordinal))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Order().ToList();
        partnerRoutes.ShouldBe(calls.Select(c => $"{c.Method} {c.Pattern}").Order().ToList(), "every partner route is called below");

        foreach (var (method, pattern, send) in calls)
        {
            var response = await send();
            var body = await response.Content.ReadAsStringAsync();
            response.IsSuccessStatusCode.ShouldBeTrue($"{method} {pattern}: {(int)response.StatusCode} {body}");
            if (pattern.EndsWith("/episodes", StringComparison.Ordinal)) episodeId = (await response.ReadAsync<PartnerEpisodeRecorded>()).EpisodeId;
            var foreign = Ids().Matches(body).Select(m => Guid.Parse(m.Value)).Where(id => id != followed && id != declined && id != episodeId).ToList();
            foreign.ShouldBeEmpty($"{method} {pattern} answered ids that are not its referral's or episode's{(foreign.Contains(opened.Id) ? " (the case id)" : "")}: {body}");
            body.ShouldNotContain(opened.Id.ToString());
        }
        episodeId.ShouldNotBe(Guid.Empty);
    }
}
