using System.Net;
using System.Text;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Partners;
using Pare.Cell.Api.Referrals;
using Pare.Cell.Api.Tests.Cases;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Security;

/// <summary>
/// Every route of the running app (from its route table) called by seven kinds of caller. The
/// expected access of each route is declared once, in <see cref="Matrix"/>; a route without an
/// entry fails the test. A foreign caller (another cell's worker, a partner without a referral)
/// on a route naming one of this cell's resources must get exactly what it would get for an id
/// that does not exist — 404, or the same 400/428 refusal that precedes any lookup — and no data.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class AuthorizationMatrixTests(PareApp app)
{
    public enum Access { CaseWork, HeadOnly, PolicyEditor, CellMember, PartnerRead, PartnerRespond, PartnerReport, Anonymous }

    public enum Caller { Anonymous, WorkerOfTheCell, WorkerOfAnotherCell, Head, Admin, PartnerWithoutReferral, PartnerWithReferral }

    private static readonly Dictionary<string, Access> Matrix = new()
    {
        ["GET /api/v1/access-journal"] = Access.PolicyEditor,
        ["GET /api/v1/access-journal/heavy-readers"] = Access.PolicyEditor,
        ["GET /api/v1/alerts"] = Access.HeadOnly,
        ["GET /api/v1/alerts/{alertId:guid}/acknowledgement"] = Access.Anonymous,
        ["POST /api/v1/alerts/{alertId:guid}/acknowledgement"] = Access.Anonymous,
        ["GET /api/v1/caseload"] = Access.HeadOnly,
        ["GET /api/v1/cases"] = Access.CaseWork,
        ["POST /api/v1/cases"] = Access.CaseWork,
        ["GET /api/v1/cases/{caseId:guid}"] = Access.CaseWork,
        ["PUT /api/v1/cases/{caseId:guid}/assignment"] = Access.HeadOnly,
        ["POST /api/v1/cases/{caseId:guid}/closure"] = Access.HeadOnly,
        ["POST /api/v1/cases/{caseId:guid}/corrections"] = Access.CaseWork,
        ["GET /api/v1/cases/{caseId:guid}/episodes"] = Access.CaseWork,
        ["POST /api/v1/cases/{caseId:guid}/episodes"] = Access.CaseWork,
        ["GET /api/v1/cases/{caseId:guid}/episodes/{episodeId:guid}"] = Access.CaseWork,
        ["POST /api/v1/cases/{caseId:guid}/episodes/{episodeId:guid}/classification"] = Access.HeadOnly,
        ["POST /api/v1/cases/{caseId:guid}/episodes/{episodeId:guid}/closure"] = Access.CaseWork,
        ["POST /api/v1/cases/{caseId:guid}/episodes/{episodeId:guid}/contacts"] = Access.CaseWork,
        ["POST /api/v1/cases/{caseId:guid}/episodes/{episodeId:guid}/information"] = Access.CaseWork,
        ["POST /api/v1/cases/{caseId:guid}/episodes/{episodeId:guid}/return"] = Access.CaseWork,
        ["GET /api/v1/cases/{caseId:guid}/episodes/{episodeId:guid}/return-interview"] = Access.CaseWork,
        ["POST /api/v1/cases/{caseId:guid}/episodes/{episodeId:guid}/return-interview"] = Access.CaseWork,
        ["POST /api/v1/cases/{caseId:guid}/episodes/{episodeId:guid}/return-interview/not-held"] = Access.CaseWork,
        ["POST /api/v1/cases/{caseId:guid}/episodes/{episodeId:guid}/sightings"] = Access.CaseWork,
        ["POST /api/v1/cases/{caseId:guid}/episodes/{episodeId:guid}/worrying"] = Access.CaseWork,
        ["PUT /api/v1/cases/{caseId:guid}/guardians"] = Access.CaseWork,
        ["POST /api/v1/cases/{caseId:guid}/past-episodes"] = Access.CaseWork,
        ["PUT /api/v1/cases/{caseId:guid}/placement"] = Access.CaseWork,
        ["GET /api/v1/cases/{caseId:guid}/profile"] = Access.CaseWork,
        ["PUT /api/v1/cases/{caseId:guid}/profile"] = Access.CaseWork,
        ["PUT /api/v1/cases/{caseId:guid}/profile/photo"] = Access.CaseWork,
        ["DELETE /api/v1/cases/{caseId:guid}/profile/photo"] = Access.CaseWork,
        ["GET /api/v1/cases/{caseId:guid}/photos/{photoId:guid}"] = Access.CaseWork,
        ["GET /api/v1/photo-links/{photoId:guid}"] = Access.Anonymous,
        ["GET /api/v1/cases/{caseId:guid}/referrals"] = Access.CaseWork,
        ["POST /api/v1/cases/{caseId:guid}/referrals"] = Access.CaseWork,
        ["GET /api/v1/cases/{caseId:guid}/reminders"] = Access.CaseWork,
        ["POST /api/v1/cases/{caseId:guid}/reminders/{key:maxlength(200)}/snooze"] = Access.CaseWork,
        ["POST /api/v1/cases/{caseId:guid}/reopening"] = Access.HeadOnly,
        ["POST /api/v1/cases/{caseId:guid}/review"] = Access.HeadOnly,
        ["GET /api/v1/cases/{caseId:guid}/risk-assessments"] = Access.CaseWork,
        ["POST /api/v1/cases/{caseId:guid}/risk-assessments"] = Access.CaseWork,
        ["POST /api/v1/cases/{caseId:guid}/risk-assessments/preview"] = Access.CaseWork,
        ["GET /api/v1/cases/{caseId:guid}/timeline"] = Access.CaseWork,
        ["GET /api/v1/definitions/return-interview"] = Access.CellMember,
        ["POST /api/v1/definitions/return-interview"] = Access.PolicyEditor,
        ["GET /api/v1/definitions/risk-indicators"] = Access.CellMember,
        ["POST /api/v1/definitions/risk-indicators"] = Access.PolicyEditor,
        ["GET /api/v1/figures"] = Access.HeadOnly,
        ["GET /api/v1/figures/episodes.csv"] = Access.HeadOnly,
        ["GET /api/v1/figures/export.csv"] = Access.HeadOnly,
        ["GET /api/v1/on-call"] = Access.CellMember,
        ["GET /api/v1/on-call/rota"] = Access.CellMember,
        ["PUT /api/v1/on-call/rota"] = Access.HeadOnly,
        ["GET /api/v1/open-episodes"] = Access.CaseWork,
        ["POST /api/v1/partner-auth/token"] = Access.Anonymous,
        ["GET /api/v1/partner/referrals"] = Access.PartnerRead,
        ["GET /api/v1/partner/referrals/{referralId:guid}"] = Access.PartnerRead,
        ["POST /api/v1/partner/referrals/{referralId:guid}/acceptance"] = Access.PartnerRespond,
        ["POST /api/v1/partner/referrals/{referralId:guid}/acknowledgement"] = Access.PartnerRespond,
        ["POST /api/v1/partner/referrals/{referralId:guid}/completion"] = Access.PartnerRespond,
        ["POST /api/v1/partner/referrals/{referralId:guid}/decline"] = Access.PartnerRespond,
        ["POST /api/v1/partner/referrals/{referralId:guid}/episodes"] = Access.PartnerReport,
        ["POST /api/v1/partner/referrals/{referralId:guid}/episodes/{episodeId:guid}/return"] = Access.PartnerReport,
        ["POST /api/v1/partner/referrals/{referralId:guid}/progress"] = Access.PartnerRespond,
        ["GET /api/v1/partners"] = Access.CaseWork,
        ["POST /api/v1/partners"] = Access.PolicyEditor,
        ["GET /api/v1/partners/{partnerId:guid}"] = Access.CaseWork,
        ["PUT /api/v1/partners/{partnerId:guid}"] = Access.PolicyEditor,
        ["GET /api/v1/partners/{partnerId:guid}/clients"] = Access.HeadOnly,
        ["POST /api/v1/partners/{partnerId:guid}/clients"] = Access.HeadOnly,
        ["DELETE /api/v1/partners/{partnerId:guid}/clients/{clientId:maxlength(100)}"] = Access.HeadOnly,
        ["POST /api/v1/partners/{partnerId:guid}/clients/{clientId:maxlength(100)}/rotation"] = Access.HeadOnly,
        ["GET /api/v1/partners/{partnerId:guid}/webhook-deliveries"] = Access.PolicyEditor,
        ["GET /api/v1/policy"] = Access.CellMember,
        ["PUT /api/v1/policy/alert-routing"] = Access.HeadOnly,
        ["PUT /api/v1/policy/criteria"] = Access.PolicyEditor,
        ["PUT /api/v1/policy/reminders"] = Access.PolicyEditor,
        ["GET /api/v1/referrals/{referralId:guid}"] = Access.CaseWork,
        ["POST /api/v1/referrals/{referralId:guid}/cancellation"] = Access.CaseWork,
        ["PUT /api/v1/referrals/{referralId:guid}/ground"] = Access.CaseWork,
        ["POST /api/v1/referrals/{referralId:guid}/revocation"] = Access.CaseWork,
        ["POST /api/v1/referrals/{referralId:guid}/sending"] = Access.CaseWork,
        ["GET /api/v1/reminders"] = Access.CaseWork,
        ["POST /api/v1/search"] = Access.CaseWork,
        ["GET /api/v1/links"] = Access.HeadOnly,
        ["GET /api/v1/cases/{caseId:guid}/links"] = Access.CaseWork,
        ["GET /api/v1/staff"] = Access.CellMember,
        ["GET /api/v1/staff/me"] = Access.CellMember,
        ["PUT /api/v1/staff/me/contact"] = Access.CellMember,
        ["POST /api/v1/staff/{staffId:maxlength(200)}/deactivation"] = Access.HeadOnly,
        ["POST /api/v1/staff/{staffId:maxlength(200)}/reactivation"] = Access.HeadOnly,
    };

    private const string Canary = "Ondine-Matrice";

    [Fact]
    public async Task Every_route_answers_every_kind_of_caller_as_declared_and_foreign_callers_learn_nothing()
    {
        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {Normalise(e.RoutePattern.RawText!)}"))
            .Where(r => r.Contains(" /api/v1", StringComparison.Ordinal))
            .Distinct().Order().ToList();
        routes.Except(Matrix.Keys).ShouldBeEmpty("Every route needs an entry in the authorization matrix.");

        var world = await WorldAsync();
        var failures = new List<string>();
        var calls = 0;
        foreach (var route in routes)
        {
            var access = Matrix[route];
            foreach (var caller in Enum.GetValues<Caller>())
            {
                var response = await SendAsync(world.Clients[caller], route, world.Ids);
                calls++;
                var status = (int)response.StatusCode;
                var body = await response.Content.ReadAsStringAsync();
                if (status >= 500) { failures.Add($"{route} as {caller}: {status}"); continue; }
                var expected = Expected(access, caller, route);
                if (expected == Outcome.Unauthenticated && status != 401) failures.Add($"{route} as {caller}: {status}, expected 401");
                if (expected == Outcome.Forbidden && status != 403) failures.Add($"{route} as {caller}: {status}, expected 403");
                if (expected == Outcome.Allowed && status is 401 or 403) failures.Add($"{route} as {caller}: {status}, expected access");
                if (expected == Outcome.Hidden)
                {
                    var control = await SendAsync(world.Clients[caller], route, world.NonexistentIds);
                    if (status is < 400 or >= 500 || status != (int)control.StatusCode)
                        failures.Add($"{route} as {caller}: {status}, but {(int)control.StatusCode} for ids that do not exist");
                    if (body.Contains(Canary, StringComparison.Ordinal)) failures.Add($"{route} as {caller}: the minor's data leaked");
                }
            }
        }

        failures.ShouldBeEmpty(string.Join('\n', failures));
        calls.ShouldBe(routes.Count * Enum.GetValues<Caller>().Length);
    }

    /// <summary>Routes whose handler used to ignore the id in their path: a valid request for another cell's id is a 404, not an empty 200.</summary>
    [Fact]
    public async Task Another_cell_s_case_or_partner_in_the_path_is_a_404_even_with_a_valid_request()
    {
        var opened = await app.Worker().OpenCaseAsync();
        var partner = await (await app.Head().PostJsonAsync("/api/v1/partners", new { name = "Asso A", type = "association" })).ReadAsync<PartnerView>();
        var foreignHead = app.Head(PareApp.CellB);
        var observedOn = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd");

        (await foreignHead.PostJsonAsync($"/api/v1/cases/{opened.Id}/risk-assessments/preview", new { observations = new[] { new { indicator = "neglect", observedOn } } }))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await app.Head().PostJsonAsync($"/api/v1/cases/{opened.Id}/risk-assessments/preview", new { observations = new[] { new { indicator = "neglect", observedOn } } }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        (await foreignHead.GetAsync($"/api/v1/partners/{partner.Id}/clients")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await foreignHead.GetAsync($"/api/v1/partners/{partner.Id}/webhook-deliveries")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await app.Head().GetAsync($"/api/v1/partners/{partner.Id}/clients")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await app.Head().GetAsync($"/api/v1/partners/{partner.Id}/webhook-deliveries")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private enum Outcome { Allowed, Unauthenticated, Forbidden, Hidden }

    private static Outcome Expected(Access access, Caller caller, string route)
    {
        if (access == Access.Anonymous) return Outcome.Allowed;
        if (caller == Caller.Anonymous) return Outcome.Unauthenticated;
        var partnerRoute = access is Access.PartnerRead or Access.PartnerRespond or Access.PartnerReport;
        var isPartner = caller is Caller.PartnerWithReferral or Caller.PartnerWithoutReferral;
        if (partnerRoute != isPartner) return Outcome.Forbidden;
        if (isPartner)
            return caller == Caller.PartnerWithReferral || !route.Contains("{referralId", StringComparison.Ordinal) ? Outcome.Allowed : Outcome.Hidden;

        var allowed = access switch
        {
            Access.CaseWork => caller is Caller.WorkerOfTheCell or Caller.WorkerOfAnotherCell or Caller.Head,
            Access.HeadOnly => caller is Caller.Head,
            Access.PolicyEditor => caller is Caller.Head or Caller.Admin,
            _ => caller is Caller.WorkerOfTheCell or Caller.WorkerOfAnotherCell or Caller.Head or Caller.Admin,
        };
        if (!allowed) return Outcome.Forbidden;
        var namesACellResource = route.Contains('{', StringComparison.Ordinal);
        return caller == Caller.WorkerOfAnotherCell && namesACellResource ? Outcome.Hidden : Outcome.Allowed;
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, string route, IReadOnlyDictionary<string, string> ids)
    {
        var space = route.IndexOf(' ', StringComparison.Ordinal);
        var url = route[(space + 1)..];
        foreach (var (name, value) in ids) url = url.Replace($"{{{name}}}", value, StringComparison.Ordinal);
        using var request = new HttpRequestMessage(new HttpMethod(route[..space]), url);
        if (request.Method != HttpMethod.Get && request.Method != HttpMethod.Delete)
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        return await client.SendAsync(request);
    }

    private static string Normalise(string pattern) => pattern.TrimEnd('/');

    private sealed record World(Dictionary<Caller, HttpClient> Clients, Dictionary<string, string> Ids, Dictionary<string, string> NonexistentIds);

    private async Task<World> WorldAsync()
    {
        var cell = $"mx-{Guid.NewGuid():N}"[..12];
        var head = app.Head(cell);
        var worker = app.Worker(cell);
        var opened = await worker.OpenCaseAsync(CaseRequests.NewCase(Canary, "Témoin", "2012-01-01"));
        var episode = await worker.ReportRunawayAsync(opened.Id, app.Clock.GetUtcNow().AddHours(-2));

        async Task<(Guid Id, PartnerClients.Issued Client)> Partner(string name)
        {
            var partner = await (await head.PostJsonAsync("/api/v1/partners", new { name, type = "association" })).ReadAsync<PartnerView>();
            return (partner.Id, await head.IssueClientAsync(partner.Id));
        }
        var linked = await Partner("Linked");
        var unrelated = await Partner("Unrelated");
        var throwaway = await head.IssueClientAsync(linked.Id, "referrals:read");
        var referral = await (await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/referrals", new { partnerId = linked.Id, reason = "Suivi", shares = new[] { "identity" }, guardianConsented = true })).ReadAsync<ReferralView>();
        await worker.PostJsonAsync($"/api/v1/referrals/{referral.Id}/sending", new { });

        var withReferral = await app.PartnerClientAsync(linked.Client);
        await withReferral.PostJsonAsync($"/api/v1/partner/referrals/{referral.Id}/acceptance", new { });

        var photo = await Photos.PhotoApiTests.UploadAsync(worker, opened.Id, (await worker.GetCaseAsync(opened.Id)).Version, Photos.TestImages.Jpeg(64, 64), "p.jpg", "image/jpeg");
        var photoId = (await photo.ReadAsync<Api.Cases.Profile.MinorProfileView>()).Profile.Photo!.Id;
        var reminderKey = (await (await worker.GetAsync($"/api/v1/cases/{opened.Id}/reminders")).ReadAsync<List<Api.Reminders.ReminderItem>>())[0].Key;
        var clients = new Dictionary<Caller, HttpClient>
        {
            [Caller.Anonymous] = app.Anonymous(),
            [Caller.WorkerOfTheCell] = worker,
            [Caller.WorkerOfAnotherCell] = app.As("worker-elsewhere", $"{cell}-other", Roles.Worker),
            [Caller.Head] = head,
            [Caller.Admin] = app.As("admin-1", cell, Roles.Admin),
            [Caller.PartnerWithoutReferral] = await app.PartnerClientAsync(unrelated.Client),
            [Caller.PartnerWithReferral] = withReferral,
        };
        var ids = new Dictionary<string, string>
        {
            ["caseId:guid"] = opened.Id.ToString(),
            ["episodeId:guid"] = episode.EpisodeId!.Value.ToString(),
            ["referralId:guid"] = referral.Id.ToString(),
            ["partnerId:guid"] = linked.Id.ToString(),
            ["alertId:guid"] = Guid.NewGuid().ToString(),
            ["photoId:guid"] = photoId.ToString(),
            ["clientId:maxlength(100)"] = throwaway.ClientId,
            ["key:maxlength(200)"] = Uri.EscapeDataString(reminderKey),
            ["staffId:maxlength(200)"] = "admin-1", // signed in by the first route's calls; follows no case
        };
        var nonexistent = ids.ToDictionary(x => x.Key, x => x.Key.EndsWith(":guid", StringComparison.Ordinal) ? Guid.NewGuid().ToString() : x.Key.StartsWith("clientId", StringComparison.Ordinal) ? "pc_nonexistent" : x.Key.StartsWith("staffId", StringComparison.Ordinal) ? "nobody" : "contact%3Anone%3A0");
        return new World(clients, ids, nonexistent);
    }
}
