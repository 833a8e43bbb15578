using System.Net;
using Pare.Cell.Api.Caseload;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Tests.Cases;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Caseload;

[Collection(ApiCollection.Name)]
public sealed class CaseloadApiTests(PareApp app)
{
    private DateTimeOffset Now => app.Clock.GetUtcNow();

    private static string NewCell() => $"cell-l-{Guid.NewGuid():N}"[..18];

    [Fact]
    public async Task The_caseload_counts_per_worker_with_totals_and_says_how_fresh_it_is()
    {
        var cell = NewCell();
        var head = app.As("head-l", cell, Roles.Head);
        async Task<Guid> Open(string worker)
        {
            var body = CaseRequests.NewCase();
            body["assignedWorkerId"] = worker;
            return (await head.OpenCaseAsync(body)).Id;
        }
        var a1 = await Open("alice");
        await Open("alice");
        var b1 = await Open("bob");
        await head.ReportRunawayAsync(a1, Now.AddHours(-3));
        await head.PostJsonAsync($"/api/v1/cases/{b1}/risk-assessments", new { observations = new[] { new { indicator = "advertisedOnline", observedOn = "2026-11-20" } }, finalLevel = "inSituation" });

        var response = await head.GetAsync("/api/v1/caseload?sort=openCases&descending=true");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var caseload = await response.ReadAsync<CaseloadView>();

        caseload.Workers.Select(w => w.WorkerId).ShouldBe(["alice", "bob"]);
        caseload.Workers[0].ShouldBe(caseload.Workers[0] with { OpenCases = 2, OpenEpisodes = 1, AtRiskOrInSituation = 0 });
        caseload.Workers[1].AtRiskOrInSituation.ShouldBe(1);
        caseload.Totals.OpenCases.ShouldBe(3);
        caseload.Totals.OpenEpisodes.ShouldBe(1);
        caseload.Freshness.AsOfSequence.ShouldBe(await app.ScalarAsync("select count(*) from pare.mt_events where tenant_id = $1", cell));

        var open = await (await head.GetAsync("/api/v1/open-episodes")).ReadAsync<OpenEpisodesView>();
        var row = open.Episodes.ShouldHaveSingleItem();
        row.CaseId.ShouldBe(a1);
        row.MinutesMissing.ShouldBe(180);
        row.AssignedWorkerId.ShouldBe("alice");
    }

    /// <summary>
    /// Every figure a cell sees is its own: the store's global sequence, which these answers used to
    /// carry, let a worker of one cell watch another cell's activity.
    /// </summary>
    [Fact]
    public async Task Freshness_counts_the_cell_s_own_events_and_never_moves_with_another_cell_s()
    {
        var watched = NewCell();
        var watcher = NewCell();
        await app.Head(watcher).OpenCaseAsync();
        async Task<long[]> FreshnessSeenByAsync(string cell)
        {
            app.Clock.Advance(TimeSpan.FromSeconds(5)); // past the caseload's shared snapshot
            var head = app.Head(cell);
            return
            [
                (await (await head.GetAsync("/api/v1/caseload")).ReadAsync<CaseloadView>()).Freshness.AsOfSequence,
                (await (await head.GetAsync("/api/v1/open-episodes")).ReadAsync<OpenEpisodesView>()).Freshness.AsOfSequence,
                (await (await head.GetAsync("/api/v1/figures?from=2026-01-01&to=2027-01-01")).ReadAsync<FiguresView>()).Freshness.AsOfSequence,
            ];
        }
        var before = await FreshnessSeenByAsync(watcher);
        before.ShouldAllBe(s => s == before[0]);

        var busy = app.Head(watched);
        var opened = await busy.OpenCaseAsync();
        await busy.ReportRunawayAsync(opened.Id, Now.AddHours(-1));
        (await FreshnessSeenByAsync(watcher)).ShouldBe(before, "another cell's activity shows in this cell's answers");

        await app.Head(watcher).OpenCaseAsync();
        (await FreshnessSeenByAsync(watcher)).ShouldAllBe(s => s == before[0] + 1);
    }

    [Fact]
    public async Task Head_only_endpoints_are_403_for_a_worker()
    {
        var worker = app.Worker();
        (await worker.GetAsync("/api/v1/caseload")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await worker.GetAsync("/api/v1/figures?from=2026-01-01&to=2027-01-01")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await worker.GetAsync("/api/v1/figures/export.csv?from=2026-01-01&to=2027-01-01")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await worker.GetAsync("/api/v1/figures/episodes.csv?from=2026-01-01&to=2027-01-01")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await worker.GetAsync("/api/v1/open-episodes")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_CSV_exports_contain_no_name_and_no_date_of_birth()
    {
        var cell = NewCell();
        var head = app.As("head-x", cell, Roles.Head);
        var opened = await head.OpenCaseAsync(CaseRequests.NewCase("Capucine-Exportée", "Vermeer-Témoin", "2012-04-23"));
        var episode = await head.ReportRunawayAsync(opened.Id, Now.AddHours(-30));
        await head.RecordAsync($"/api/v1/cases/{opened.Id}/episodes/{episode.EpisodeId}/return", Requests.Return(Now.AddHours(-6)));

        var from = DateOnly.FromDateTime(Now.UtcDateTime.AddDays(-10)).ToString("yyyy-MM-dd");
        var to = DateOnly.FromDateTime(Now.UtcDateTime.AddDays(1)).ToString("yyyy-MM-dd");
        var episodes = await head.GetAsync($"/api/v1/figures/episodes.csv?from={from}&to={to}");
        var figures = await head.GetAsync($"/api/v1/figures/export.csv?from={from}&to={to}");

        episodes.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        episodes.Content.Headers.ContentType.CharSet.ShouldBe("utf-8");
        var lines = (await episodes.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldBe(string.Join(',', ExportFiguresHandler.EpisodeColumns));
        var row = lines.Skip(1).ShouldHaveSingleItem().Split(',');
        row[1].ShouldBe("13-14");
        row[5].ShouldBe("24");
        row[8].ShouldBe("due");
        foreach (var text in new[] { await episodes.Content.ReadAsStringAsync(), await figures.Content.ReadAsStringAsync() })
        {
            text.ShouldNotContain("Capucine");
            text.ShouldNotContain("Vermeer");
            text.ShouldNotContain("2012-04-23");
            text.ShouldNotContain("23/04/2012");
            text.ShouldNotContain(opened.Reference);
            text.ShouldNotContain(opened.Id.ToString());
        }
        (await figures.Content.ReadAsStringAsync()).ShouldContain("episodes,1\r\n");
    }

    [Fact]
    public async Task Figures_need_a_valid_period()
    {
        var response = await app.Head().GetAsync("/api/v1/figures?from=2026-12-01&to=2026-01-01");
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ProblemFieldsAsync()).Keys.ShouldContain("to");
    }
}
