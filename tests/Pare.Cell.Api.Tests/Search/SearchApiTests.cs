using System.Net;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Search;
using Pare.Cell.Api.Tests.Cases;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Search;

[Collection(ApiCollection.Name)]
public sealed class SearchApiTests(PareApp app)
{
    private static string NewCell() => $"cell-s-{Guid.NewGuid():N}"[..18];

    public static object Profile(string[]? aliases = null, string[]? phones = null, object[]? handles = null, object[]? associates = null, string[]? places = null) => new
    {
        phones = phones ?? [],
        socialMedia = handles ?? [],
        associates = associates ?? [],
        placesFrequented = places ?? [],
        aliases = aliases ?? [],
    };

    public static async Task<CaseView> OpenWithProfileAsync(HttpClient worker, string first, string last, string born, object profile)
    {
        var opened = await worker.OpenCaseAsync(CaseRequests.NewCase(first, last, born));
        var put = await worker.PutJsonAsync($"/api/v1/cases/{opened.Id}/profile", profile, opened.Version);
        put.StatusCode.ShouldBe(HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        return opened;
    }

    private static async Task<SearchResults> SearchAsync(HttpClient client, string query)
    {
        var response = await client.PostJsonAsync("/api/v1/search", new { query });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.ReadAsync<SearchResults>();
    }

    [Fact]
    public async Task Names_aliases_phones_handles_and_references_find_the_minor_tolerant_of_accents_case_typos_and_formats()
    {
        var cell = NewCell();
        var worker = app.Worker(cell);
        var lea = await OpenWithProfileAsync(worker, "Léa", "Martin", "2011-04-02",
            Profile(aliases: ["Lilou"], phones: ["06 12 34 56 78"], handles: [new { platform = "Snapchat", handle = "@lea.mrtn" }]));
        var lina = await OpenWithProfileAsync(worker, "Lina", "Martin", "2011-04-02", Profile());
        await OpenWithProfileAsync(worker, "Noah", "Bernard", "2010-01-09", Profile(aliases: ["Nono"]));
        await OpenWithProfileAsync(app.Worker(NewCell()), "Léa", "Martin", "2011-04-02", Profile(aliases: ["Lilou"])); // another cell

        foreach (var query in new[] { "Lea Martin", "léa martinn", "MARTIN Léa", "lilou", "Lilou Martin" })
        {
            var found = await SearchAsync(worker, query);
            found.Results[0].CaseId.ShouldBe(lea.Id, query);
            found.Results.ShouldNotContain(r => r.FirstName == "Noah", query);
        }
        (await SearchAsync(worker, "lilou")).Results[0].Matched[0].ShouldSatisfyAllConditions(
            m => m.Field.ShouldBe("alias"), m => m.Value.ShouldBe("Lilou"), m => m.Score.ShouldBe(1.0));
        (await SearchAsync(worker, "Lea Martin")).Results.Select(r => r.CaseId).ShouldBe([lea.Id, lina.Id]);

        foreach (var query in new[] { "+33612345678", "06 12 34 56 78", "0033 6 12 34 56 78", "06.12.34.56.78" })
        {
            var found = await SearchAsync(worker, query);
            found.QueryKind.ShouldBe("phone");
            var hit = found.Results.ShouldHaveSingleItem();
            hit.CaseId.ShouldBe(lea.Id);
            hit.Matched[0].ShouldSatisfyAllConditions(m => m.Field.ShouldBe("phone"), m => m.Score.ShouldBe(1.0));
        }
        (await SearchAsync(worker, "06 12 34")).Results.ShouldHaveSingleItem().Matched[0].Score.ShouldBe(0.8);
        (await SearchAsync(worker, "lea.mrtn")).Results[0].Matched[0].ShouldSatisfyAllConditions(m => m.Field.ShouldBe("handle"), m => m.Detail.ShouldBe("Snapchat"));
        var byReference = await SearchAsync(worker, lina.Reference.ToLowerInvariant());
        byReference.QueryKind.ShouldBe("reference");
        byReference.Results[0].CaseId.ShouldBe(lina.Id);

        // Only the fields needed to pick the right minor.
        var raw = await (await worker.PostJsonAsync("/api/v1/search", new { query = "lilou" })).ReadObjectAsync();
        raw["results"]![0]!.AsObject().Select(p => p.Key).Order()
            .ShouldBe(["age", "assignedWorkerId", "caseId", "dateOfBirth", "firstName", "lastName", "matched", "reference", "score", "status"]);
    }

    [Fact]
    public async Task Every_search_is_journaled_without_its_text_and_every_case_shown_has_its_journal_row()
    {
        var cell = NewCell();
        var worker = app.Worker(cell);
        var lea = await OpenWithProfileAsync(worker, "Héloïse", "Quintard", "2012-08-30", Profile(aliases: ["Lolo"]));

        var found = await SearchAsync(worker, "Heloise Quintar");
        found.Results.ShouldHaveSingleItem().CaseId.ShouldBe(lea.Id);
        (await SearchAsync(worker, "Zéphyrine Inconnue")).Results.ShouldBeEmpty();

        (await app.ScalarAsync("select count(*) from audit.access_journal where cell_id = $1 and case_id = $2 and action = 'search.result' and user_id = 'worker-1'",
            cell, lea.Id)).ShouldBe(1);
        (await app.ScalarAsync("select count(*) from audit.search_journal where cell_id = $1 and user_id = 'worker-1' and query_kind = 'words'", cell)).ShouldBe(2);
        (await app.ScalarAsync("select sum(result_count) from audit.search_journal where cell_id = $1", cell)).ShouldBe(1);
        // The same name, however typed, has one digest; the text itself is nowhere.
        (await SearchAsync(worker, "HÉLOÏSE  quintar")).Results.ShouldHaveSingleItem();
        (await app.ScalarAsync("select count(distinct query_digest) from audit.search_journal where cell_id = $1", cell)).ShouldBe(2);
        (await app.ScalarAsync("select count(*) from audit.search_journal where cell_id = $1 and (query_digest ilike '%quintar%' or query_digest ilike '%heloise%')", cell)).ShouldBe(0);
        app.Logs.Lines.ShouldNotContain(l => l.Contains("Quintar", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task The_index_follows_the_profile_and_a_bad_query_names_the_field()
    {
        var cell = NewCell();
        var worker = app.Worker(cell);
        var opened = await OpenWithProfileAsync(worker, "Maëlys", "Fournier", "2011-02-02", Profile(aliases: ["Mimi"]));
        (await SearchAsync(worker, "mimi")).Results.ShouldHaveSingleItem();
        (await worker.PutJsonAsync($"/api/v1/cases/{opened.Id}/profile", Profile(aliases: ["Maé"]), 2)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await SearchAsync(worker, "mimi")).Results.ShouldBeEmpty();
        (await SearchAsync(worker, "mae")).Results.ShouldHaveSingleItem().Matched[0].Value.ShouldBe("Maé");

        var empty = await worker.PostJsonAsync("/api/v1/search", new { query = " " });
        (await empty.ProblemFieldsAsync()).Keys.ShouldBe(["query"]);
        (await app.Anonymous().PostJsonAsync("/api/v1/search", new { query = "mae" })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
