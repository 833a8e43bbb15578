using System.Net;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Links;
using Pare.Cell.Api.Tests.Infrastructure;
using Pare.Cell.Api.Tests.Search;

namespace Pare.Cell.Api.Tests.Links;

[Collection(ApiCollection.Name)]
public sealed class LinksApiTests(PareApp app)
{
    private static string NewCell() => $"cell-l-{Guid.NewGuid():N}"[..18];

    private static object Associate(string name, string? phone = null) => new { name, relationship = "petit ami", note = (string?)null, phone };

    [Fact]
    public async Task Minors_sharing_an_associate_a_phone_a_handle_or_a_place_are_linked_on_the_case_and_in_the_heads_clusters()
    {
        var cell = NewCell();
        var worker = app.Worker(cell);
        var a = await SearchApiTests.OpenWithProfileAsync(worker, "Jade", "Aubert", "2011-01-01",
            SearchApiTests.Profile(associates: [Associate("Kévin", "06 12 34 56 78")], places: ["Hôtel du Parc, Villeurbanne"]));
        var b = await SearchApiTests.OpenWithProfileAsync(worker, "Sarah", "Bouvier", "2012-02-02",
            SearchApiTests.Profile(associates: [Associate("Kevin B.")]));
        var c = await SearchApiTests.OpenWithProfileAsync(worker, "Nina", "Carré", "2011-03-03",
            SearchApiTests.Profile(associates: [Associate("Le grand", "+33612345678")]));
        var d = await SearchApiTests.OpenWithProfileAsync(worker, "Aya", "Dumas", "2012-04-04",
            SearchApiTests.Profile(handles: [new { platform = "Snapchat", handle = "lilou.69" }], places: ["hotel du parc villeurbanne"]));
        var loner = await SearchApiTests.OpenWithProfileAsync(worker, "Eden", "Morel", "2011-05-05",
            SearchApiTests.Profile(associates: [Associate("Mehdi")], places: ["Parc de la Tête d'Or"]));
        var twin = await SearchApiTests.OpenWithProfileAsync(worker, "Mia", "Renard", "2010-06-06",
            SearchApiTests.Profile(handles: [new { platform = "Instagram", handle = "@Lilou.69" }]));

        var view = await (await worker.GetAsync($"/api/v1/cases/{a.Id}")).ReadAsync<CaseView>();
        var links = view.Links!;
        links.Select(l => l.CaseId).ShouldBe([b.Id, c.Id, d.Id], ignoreOrder: true);
        links.Single(l => l.CaseId == b.Id).Shared.ShouldHaveSingleItem().ShouldBe(new SharedTerm("associate", "Kévin", "Kevin B."));
        links.Single(l => l.CaseId == c.Id).Shared.ShouldHaveSingleItem().ShouldBe(new SharedTerm("phone", "06 12 34 56 78", "+33612345678"));
        links.Single(l => l.CaseId == d.Id).Shared.ShouldHaveSingleItem().Kind.ShouldBe("place");
        (await app.ScalarAsync("select count(*) from audit.access_journal where cell_id = $1 and action = 'links.read' and case_id = $2", cell, b.Id)).ShouldBe(1);

        var clusters = await (await app.Head(cell).GetAsync("/api/v1/links")).ReadAsync<List<LinkCluster>>();
        clusters.Select(k => k.Size).ShouldBe([5]);
        clusters[0].Cases.Select(m => m.CaseId).ShouldBe([a.Id, b.Id, c.Id, d.Id, twin.Id], ignoreOrder: true);
        clusters[0].Cases.ShouldNotContain(m => m.CaseId == loner.Id);
        clusters[0].Ties.ShouldContain(t => t.Kind == "handle" && t.Cases == 2);
        clusters[0].Summary.ShouldStartWith("5 minors:");
        (await app.ScalarAsync("select count(distinct case_id) from audit.access_journal where cell_id = $1 and action = 'links.read' and user_id = 'head-1'", cell)).ShouldBe(5);
        (await worker.GetAsync("/api/v1/links")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        // Updated from the events: B no longer names Kévin, so the associate tie goes.
        (await worker.PutJsonAsync($"/api/v1/cases/{b.Id}/profile", SearchApiTests.Profile(), 2)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var after = await (await worker.GetAsync($"/api/v1/cases/{a.Id}/links")).ReadAsync<List<LinkedCase>>();
        after.Select(l => l.CaseId).ShouldBe([c.Id, d.Id], ignoreOrder: true);
        (await app.Worker(NewCell()).GetAsync($"/api/v1/cases/{a.Id}/links")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_last_seen_place_links_too()
    {
        var cell = NewCell();
        var worker = app.Worker(cell);
        var first = await SearchApiTests.OpenWithProfileAsync(worker, "Lou", "Petitjean", "2011-07-07", SearchApiTests.Profile());
        var second = await SearchApiTests.OpenWithProfileAsync(worker, "Alice", "Grandpierre", "2012-08-08", SearchApiTests.Profile(places: ["Gare Part-Dieu"]));
        var report = Requests.Runaway(app.Clock.GetUtcNow().AddHours(-2));
        (await worker.PostJsonAsync($"/api/v1/cases/{first.Id}/episodes", report)).StatusCode.ShouldBe(HttpStatusCode.Created); // last seen: Gare Part-Dieu
        (await (await worker.GetAsync($"/api/v1/cases/{first.Id}/links")).ReadAsync<List<LinkedCase>>())
            .ShouldHaveSingleItem().CaseId.ShouldBe(second.Id);
    }
}
