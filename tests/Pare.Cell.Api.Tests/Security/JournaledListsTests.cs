using System.Net;
using Pare.Cell.Api.Partners;
using Pare.Cell.Api.Referrals;
using Pare.Cell.Api.Tests.Cases;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Security;

/// <summary>
/// Every read that shows a case's data is journaled, lists and exports included, not only the
/// case's own pages: the alert list (matched criteria), the open episodes, the inbox, the
/// referrals (their reasons), the figures' per-episode export.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class JournaledListsTests(PareApp app)
{
    [Fact]
    public async Task Lists_and_exports_that_show_a_case_journal_a_read_of_it_by_their_reader()
    {
        var cell = $"cell-j-{Guid.NewGuid():N}"[..18];
        var worker = app.Worker(cell);
        var head = app.Head(cell);
        var now = app.Clock.GetUtcNow();
        var opened = await worker.OpenCaseAsync(CaseRequests.NewCase("Lou", "Journal", "2014-03-01"));
        await worker.ReportRunawayAsync(opened.Id, now.AddHours(-1)); // 12 years old: an alert at once
        var partner = await (await head.PostJsonAsync("/api/v1/partners", new { name = "Asso", type = "association" })).ReadAsync<PartnerView>();
        var referral = await (await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/referrals",
            new { partnerId = partner.Id, reason = "Accompagnement", shares = new[] { "identity" }, guardianConsented = true })).ReadAsync<ReferralView>();
        var period = $"from={DateOnly.FromDateTime(now.UtcDateTime.AddDays(-1)):yyyy-MM-dd}&to={DateOnly.FromDateTime(now.UtcDateTime.AddDays(1)):yyyy-MM-dd}";

        var reads = new (HttpClient Reader, string Url, string Action)[]
        {
            (head, "/api/v1/alerts", "alert.list"),
            (worker, "/api/v1/open-episodes", "episode.open.list"),
            (worker, "/api/v1/reminders", "reminders.inbox"),
            (worker, $"/api/v1/referrals/{referral.Id}", "referral.read"),
            (worker, $"/api/v1/cases/{opened.Id}/referrals", "referral.list"),
            (head, $"/api/v1/figures/episodes.csv?{period}", "figures.episodes.export"),
        };
        foreach (var (reader, url, action) in reads)
        {
            (await reader.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.OK, url);
            (await app.ScalarAsync("select count(*) from audit.access_journal where cell_id = $1 and case_id = $2 and action = $3", cell, opened.Id, action))
                .ShouldBe(1, url);
        }
    }
}
