using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Pare.Cell.Api.Caseload;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Infrastructure.Jobs;
using Pare.Cell.Api.Partners;
using Pare.Cell.Api.Tests.Cases;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Security;

[Collection(ApiCollection.Name)]
public sealed class RetentionTests(PareApp app)
{
    private static readonly string[] Canaries = ["Givre-Rétention", "Lointaine-Témoin", "2012-08-19", "Impasse-des-Retenues-7", "0698765432", "Mots-de-la-mineure-canari"];

    [Fact]
    public async Task Two_years_after_closure_the_case_s_personal_data_are_masked_everywhere_and_figures_still_count_it()
    {
        var cell = $"cell-t-{Guid.NewGuid():N}"[..18];
        var head = app.Head(cell);
        var worker = app.Worker(cell);
        var now = app.Clock.GetUtcNow();
        var opened = await worker.OpenCaseAsync(CaseRequests.NewCase(Canaries[0], Canaries[1], Canaries[2]));
        await worker.PutJsonAsync($"/api/v1/cases/{opened.Id}/profile", new { phones = new[] { Canaries[4] }, placesFrequented = new[] { Canaries[3] } }, 1);
        var report = Requests.Runaway(now.AddHours(-10));
        report["lastSeenPlace"] = Canaries[3];
        var episode = await (await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/episodes", report)).ReadAsync<EntryRecorded>();
        var episodeUrl = $"/api/v1/cases/{opened.Id}/episodes/{episode.EpisodeId}";
        await worker.RecordAsync($"{episodeUrl}/contacts", new { with = "parentOrGuardian", channel = "phone", outcome = "reached", notes = $"Called {Canaries[0]}'s mother" });
        await worker.RecordAsync($"{episodeUrl}/return", Requests.Return(now.AddHours(-1)));
        await worker.RecordAsync($"{episodeUrl}/return-interview", new
        {
            questionnaireVersion = 1,
            answers = new Dictionary<string, object> { ["whereStayed"] = Canaries[3], ["schoolSituation"] = "attending", ["receivedMoneyOrGifts"] = false },
            present = new[] { "worker" },
            minorsOwnWords = Canaries[5],
        });
        var partner = await (await head.PostJsonAsync("/api/v1/partners", new { name = "Asso", type = "association" })).ReadAsync<PartnerView>();
        await worker.PostJsonAsync($"/api/v1/cases/{opened.Id}/referrals", new { partnerId = partner.Id, reason = $"Pour {Canaries[0]}", shares = new[] { "identity" }, guardianConsented = true });
        (await Photos.PhotoApiTests.UploadAsync(worker, opened.Id, (await worker.GetCaseAsync(opened.Id)).Version, Photos.TestImages.Jpeg(64, 64), "p.jpg", "image/jpeg"))
            .StatusCode.ShouldBe(HttpStatusCode.OK);
        var version = (await worker.GetCaseAsync(opened.Id)).Version;
        (await head.PostJsonAsync($"/api/v1/cases/{opened.Id}/closure", new { reason = "other", note = $"{Canaries[0]} moved" }, version)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await CanaryHitsAsync(cell)).ShouldBeGreaterThan(0); // the search sees them while the case is active

        var period = $"from={DateOnly.FromDateTime(now.UtcDateTime.AddDays(-2)):yyyy-MM-dd}&to={DateOnly.FromDateTime(now.UtcDateTime.AddDays(1)):yyyy-MM-dd}";
        var before = await (await head.GetAsync($"/api/v1/figures?{period}")).ReadAsync<FiguresView>();
        await app.Services.GetRequiredService<CaseRetention>().RunAsync();
        (await CanaryHitsAsync(cell)).ShouldBeGreaterThan(0); // not yet: closed only today
        var details = await AlertDetailsAsync(cell, opened.Id); // the under-15 alert, as the head's list shows it
        details.ShouldNotBeEmpty();
        details.ShouldNotContain("—");

        app.Clock.Advance(TimeSpan.FromDays(2 * 365 + 1));
        await app.Services.GetRequiredService<CaseRetention>().RunAsync();

        (await CanaryHitsAsync(cell)).ShouldBe(0);
        (await app.ScalarAsync("select count(*) from pare.case_photos where cell_id = $1", cell)).ShouldBe(0);
        (await app.ScalarAsync("select count(*) from pare.case_index where cell_id = $1 and kind <> 'Reference'", cell)).ShouldBe(0);
        (await AlertDetailsAsync(cell, opened.Id)).ShouldBe(["—"]); // "age 14 < 15" was a detail of the minor too
        var masked = await worker.GetCaseAsync(opened.Id);
        masked.Minor.FirstName.ShouldBe("—");
        masked.Minor.DateOfBirth.ShouldBe(new DateOnly(2012, 1, 1));
        var after = await (await head.GetAsync($"/api/v1/figures?{period}")).ReadAsync<FiguresView>();
        after.Figures.Episodes.ShouldBe(before.Figures.Episodes);
        after.Figures.Episodes.ShouldBe(1);
        var reopen = await head.PostJsonAsync($"/api/v1/cases/{opened.Id}/reopening", new { reason = "x" }, masked.Version);
        (await reopen.ProblemCodeAsync()).ShouldBe("case-archived");
    }

    /// <summary>The distinct details of the criteria the case's alerts matched, as the head's alert list holds them.</summary>
    private async Task<string[]> AlertDetailsAsync(string cell, Guid caseId)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("""
            select distinct m->>'detail' from pare.mt_doc_alertview a, jsonb_array_elements(a.data->'matched') m
            where a.tenant_id = $1 and (a.data->>'caseId')::uuid = $2 order by 1
            """, connection);
        query.Parameters.Add(new() { Value = cell });
        query.Parameters.Add(new() { Value = caseId });
        var details = new List<string>();
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync()) details.Add(reader.GetString(0));
        return [.. details];
    }

    /// <summary>Canary occurrences in the cell's events and in every Marten document of the cell.</summary>
    private async Task<long> CanaryHitsAsync(string cell)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("""
            select table_name from information_schema.columns
            where table_schema = 'pare' and column_name = 'tenant_id' and (table_name like 'mt_doc_%' or table_name = 'mt_events')
            """, connection))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        long hits = 0;
        foreach (var table in tables)
            foreach (var canary in Canaries)
            {
                await using var count = new NpgsqlCommand($"select count(*) from pare.\"{table}\" where tenant_id = $1 and data::text like '%' || $2 || '%'", connection);
                count.Parameters.Add(new() { Value = cell });
                count.Parameters.Add(new() { Value = canary });
                hits += (long)(await count.ExecuteScalarAsync())!;
            }
        // The search index and the links hold terms of the profile and episodes too.
        foreach (var canary in Canaries)
        {
            await using var count = new NpgsqlCommand("""
                select (select count(*) from pare.case_index where cell_id = $1 and value like '%' || $2 || '%')
                     + (select count(*) from pare.case_links where cell_id = $1 and (value || other_value) like '%' || $2 || '%')
                """, connection);
            count.Parameters.Add(new() { Value = cell });
            count.Parameters.Add(new() { Value = canary });
            hits += (long)(await count.ExecuteScalarAsync())!;
        }
        return hits;
    }
}
