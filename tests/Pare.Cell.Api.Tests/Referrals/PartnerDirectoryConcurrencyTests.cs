using System.Net;
using Pare.Cell.Api.Partners;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Referrals;

/// <summary>Two heads editing one partner: the second learns of the first (412), never overwrites it unknowingly.</summary>
[Collection(ApiCollection.Name)]
public sealed class PartnerDirectoryConcurrencyTests(PareApp app)
{
    private static object Details(string name, string phone) =>
        new { name, type = "association", contacts = new[] { new { name = "Permanence", phone } } };

    [Fact]
    public async Task Replacing_a_partner_takes_the_ETag_read_and_a_stale_or_missing_one_changes_nothing()
    {
        var cell = $"cell-pd-{Guid.NewGuid():N}"[..18];
        var head = app.Head(cell);
        var created = await head.PostJsonAsync("/api/v1/partners", Details("Asso A", "0400000001"));
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var id = (await created.ReadAsync<PartnerView>()).Id;
        var read = await head.GetAsync($"/api/v1/partners/{id}");
        var etag = read.Headers.ETag.ShouldNotBeNull().Tag;
        etag.ShouldBe(created.Headers.ETag.ShouldNotBeNull().Tag);

        // Both heads read the same version; the first to save wins and gets a new ETag.
        var first = await head.SendJsonAsync(HttpMethod.Put, $"/api/v1/partners/{id}", Details("Asso A", "0400000002"), rawIfMatch: etag);
        first.StatusCode.ShouldBe(HttpStatusCode.OK, await first.Content.ReadAsStringAsync());
        first.Headers.ETag.ShouldNotBeNull().Tag.ShouldNotBe(etag);
        var second = await head.SendJsonAsync(HttpMethod.Put, $"/api/v1/partners/{id}", Details("Asso A", "0400000003"), rawIfMatch: etag);
        second.StatusCode.ShouldBe(HttpStatusCode.PreconditionFailed);

        var missing = await head.SendJsonAsync(HttpMethod.Put, $"/api/v1/partners/{id}", Details("Asso A", "0400000004"));
        missing.StatusCode.ShouldBe((HttpStatusCode)428);
        var malformed = await head.SendJsonAsync(HttpMethod.Put, $"/api/v1/partners/{id}", Details("Asso A", "0400000005"), rawIfMatch: "\"three\"");
        malformed.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await malformed.Content.ReadAsStringAsync()).ShouldContain("If-Match");

        var stored = await (await head.GetAsync($"/api/v1/partners/{id}")).ReadAsync<PartnerView>();
        stored.Contacts.Single().Phone.ShouldBe("0400000002");
    }

    [Fact]
    public async Task Of_two_replacements_racing_on_the_same_version_exactly_one_is_saved()
    {
        var cell = $"cell-pr-{Guid.NewGuid():N}"[..18];
        var head = app.Head(cell);
        var created = await head.PostJsonAsync("/api/v1/partners", Details("Asso B", "0400000000"));
        var id = (await created.ReadAsync<PartnerView>()).Id;
        var etag = created.Headers.ETag!.Tag;

        var answers = await Task.WhenAll(Enumerable.Range(1, 8).Select(i =>
            head.SendJsonAsync(HttpMethod.Put, $"/api/v1/partners/{id}", Details("Asso B", $"040000001{i}"), rawIfMatch: etag)));

        answers.Count(a => a.StatusCode == HttpStatusCode.OK).ShouldBe(1);
        answers.Count(a => a.StatusCode == HttpStatusCode.PreconditionFailed).ShouldBe(7);
        var winner = answers.Single(a => a.StatusCode == HttpStatusCode.OK);
        var stored = await head.GetAsync($"/api/v1/partners/{id}");
        stored.Headers.ETag.ShouldNotBeNull().Tag.ShouldBe(winner.Headers.ETag.ShouldNotBeNull().Tag);
        (await stored.ReadAsync<PartnerView>()).Contacts.Single().Phone.ShouldBe((await winner.ReadAsync<PartnerView>()).Contacts.Single().Phone);
    }
}
