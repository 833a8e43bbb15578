using System.Net;
using Pare.Cell.Api.Cases;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Tests.Infrastructure;
using Pare.Cell.Domain.Cases;

namespace Pare.Cell.Api.Tests.Cases;

[Collection(ApiCollection.Name)]
public sealed class OpeningAndReadingACaseTests(PareApp app)
{
    [Fact]
    public async Task Without_a_token_the_cases_endpoints_answer_401()
    {
        var client = app.Anonymous();
        (await client.GetAsync("/api/v1/cases")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await client.PostJsonAsync("/api/v1/cases", CaseRequests.NewCase())).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await client.GetAsync($"/api/v1/cases/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_worker_opens_a_case_and_reads_back_the_same_data()
    {
        var worker = app.Worker();
        var response = await worker.PostJsonAsync("/api/v1/cases", CaseRequests.NewCase("Jade", "Lefèvre", "2012-02-29"));

        response.StatusCode.ShouldBe(HttpStatusCode.Created);
        var opened = await response.ReadAsync<CaseView>();
        response.Headers.Location!.ToString().ShouldBe($"/api/v1/cases/{opened.Id}");
        response.Headers.ETag!.Tag.ShouldBe("\"1\"");
        opened.Minor.FirstName.ShouldBe("Jade");
        opened.Minor.LastName.ShouldBe("Lefèvre");
        opened.Minor.DateOfBirth.ShouldBe(new DateOnly(2012, 2, 29));
        opened.Minor.Age.ShouldBe(14);
        opened.Placement.ShouldBe(new Placement(PlacementKind.ChildWelfareEstablishment, "MECS Les Tilleuls"));
        opened.AssignedWorkerId.ShouldBe("worker-1");
        opened.Status.ShouldBe(CaseStatus.Open);
        opened.Reference.ShouldMatch("^PC-[0-9A-Z]{4}-[0-9A-Z]{4}$");
        opened.OpenedAt.ShouldBe(app.Clock.GetUtcNow());

        var read = await worker.GetAsync($"/api/v1/cases/{opened.Id}");
        read.StatusCode.ShouldBe(HttpStatusCode.OK);
        read.Headers.ETag!.Tag.ShouldBe("\"1\"");
        var view = await read.ReadAsync<CaseView>();
        view.Links.ShouldBeEmpty(); // a read shows the case's links; a write's answer does not
        (view with { Links = null }).ShouldBeEquivalentTo(opened);
    }

    [Fact]
    public async Task The_opening_event_records_who_and_when()
    {
        var opened = await app.Worker().OpenCaseAsync();

        var recordedBy = await app.ScalarAsync(
            "select count(*) from pare.mt_events where stream_id = $1 and type = 'case_opened' and data->'provenance'->'recordedBy'->>'id' = 'worker-1' and (data->'provenance'->>'occurredAt')::timestamptz = $2",
            opened.Id, app.Clock.GetUtcNow());
        recordedBy.ShouldBe(1);
    }

    [Fact]
    public async Task A_case_of_another_cell_answers_404_like_a_case_that_does_not_exist()
    {
        var opened = await app.Worker(PareApp.CellA).OpenCaseAsync();
        var otherCell = app.Worker(PareApp.CellB);

        var foreign = await otherCell.GetAsync($"/api/v1/cases/{opened.Id}");
        var missing = await otherCell.GetAsync($"/api/v1/cases/{Guid.NewGuid()}");

        foreign.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        missing.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var foreignBody = await foreign.ReadObjectAsync();
        foreignBody.ContainsKey("minor").ShouldBeFalse();
        foreignBody["title"]!.ToString().ShouldBe((await missing.ReadObjectAsync())["title"]!.ToString());
        (await (await otherCell.GetAsync("/api/v1/cases?limit=200")).ReadAsync<CasePageDto>()).Items.ShouldNotContain(c => c.Id == opened.Id);
    }

    [Theory]
    [InlineData(Roles.Admin)]
    [InlineData("guest")]
    public async Task Roles_other_than_worker_and_head_are_forbidden(string role)
    {
        var client = app.As("someone", PareApp.CellA, role);
        (await client.GetAsync("/api/v1/cases")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await client.PostJsonAsync("/api/v1/cases", CaseRequests.NewCase())).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_partner_token_of_no_registered_client_is_refused()
    {
        var client = app.As("pc_unknown", PareApp.CellA, "partner");
        (await client.GetAsync("/api/v1/cases")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_head_can_open_and_read_cases_of_the_cell()
    {
        var opened = await app.Head().OpenCaseAsync();
        (await app.Head().GetAsync($"/api/v1/cases/{opened.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await app.Worker().GetAsync($"/api/v1/cases/{opened.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Every_read_of_a_case_adds_exactly_one_access_journal_entry()
    {
        var opened = await app.Worker().OpenCaseAsync();
        var reader = app.As("reader-7", PareApp.CellA, Roles.Worker);

        for (var i = 1; i <= 3; i++)
        {
            (await reader.GetAsync($"/api/v1/cases/{opened.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await app.ScalarAsync("select count(*) from audit.access_journal where case_id = $1 and action = 'case.read'", opened.Id)).ShouldBe(i);
        }
        (await app.ScalarAsync("select count(*) from audit.access_journal where case_id = $1 and user_id = 'reader-7' and cell_id = 'cell-a'", opened.Id)).ShouldBe(3);
    }

    [Fact]
    public async Task A_failed_read_from_another_cell_reveals_nothing_and_journals_nothing()
    {
        var opened = await app.Worker().OpenCaseAsync();
        var before = await app.ScalarAsync("select count(*) from audit.access_journal where case_id = $1", opened.Id); // the opening's answer
        await app.Worker(PareApp.CellB).GetAsync($"/api/v1/cases/{opened.Id}");
        (await app.ScalarAsync("select count(*) from audit.access_journal where case_id = $1", opened.Id)).ShouldBe(before);
        (await app.ScalarAsync("select count(*) from audit.access_journal where case_id = $1 and cell_id = $2", opened.Id, PareApp.CellB)).ShouldBe(0);
    }

    [Fact]
    public async Task The_access_journal_cannot_be_updated_deleted_or_truncated()
    {
        var opened = await app.Worker().OpenCaseAsync();
        await app.Worker().GetAsync($"/api/v1/cases/{opened.Id}");

        foreach (var sql in new[]
        {
            "update audit.access_journal set user_id = 'someone-else'",
            "delete from audit.access_journal",
            "truncate audit.access_journal",
        })
        {
            var error = await Should.ThrowAsync<Npgsql.PostgresException>(() => app.ScalarAsync(sql));
            error.MessageText.ShouldContain("append-only");
        }
        (await app.ScalarAsync("select count(*) from audit.access_journal where case_id = $1", opened.Id)).ShouldBe(2); // the opening's answer and the read
    }

    [Fact]
    public async Task Listing_pages_with_a_cursor_in_a_stable_order_and_journals_each_listed_case()
    {
        var head = app.As("lister", "cell-list", Roles.Head);
        var opened = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            opened.Add((await head.OpenCaseAsync()).Id);
            app.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var first = await (await head.GetAsync("/api/v1/cases?limit=2")).ReadAsync<CasePageDto>();
        var second = await (await head.GetAsync($"/api/v1/cases?limit=2&cursor={first.NextCursor}")).ReadAsync<CasePageDto>();
        var third = await (await head.GetAsync($"/api/v1/cases?limit=2&cursor={second.NextCursor}")).ReadAsync<CasePageDto>();

        first.Items.Concat(second.Items).Concat(third.Items).Select(c => c.Id).ShouldBe(opened);
        third.NextCursor.ShouldBeNull();
        (await app.ScalarAsync("select count(*) from audit.access_journal where cell_id = 'cell-list' and action = 'case.list'")).ShouldBe(5);
    }

    [Fact]
    public async Task A_worker_opens_a_case_for_themselves_only_the_head_for_another_worker()
    {
        var cell = $"cell-o-{Guid.NewGuid():N}"[..18];
        var forColleague = CaseRequests.NewCase();
        forColleague["assignedWorkerId"] = "worker-2";
        var refused = await app.Worker(cell).PostJsonAsync("/api/v1/cases", forColleague);
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden); // a rule about who may do it
        (await refused.ProblemCodeAsync()).ShouldBe("only-head-assigns");
        (await app.ScalarAsync("select count(*) from pare.mt_streams where tenant_id = $1", cell)).ShouldBe(0);

        var forThemselves = CaseRequests.NewCase();
        forThemselves["assignedWorkerId"] = "worker-1";
        (await app.Worker(cell).PostJsonAsync("/api/v1/cases", forThemselves)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await app.Head(cell).PostJsonAsync("/api/v1/cases", forColleague)).StatusCode.ShouldBe(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Listing_filters_by_worker()
    {
        var head = app.As("head-f", "cell-filter", Roles.Head);
        var body = CaseRequests.NewCase();
        body["assignedWorkerId"] = "worker-x";
        var mine = await head.OpenCaseAsync(body);
        await head.OpenCaseAsync();

        var page = await (await head.GetAsync("/api/v1/cases?worker=worker-x")).ReadAsync<CasePageDto>();
        page.Items.Select(c => c.Id).ShouldBe([mine.Id]);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=1000", "limit")]
    [InlineData("cursor=not-a-cursor", "cursor")]
    [InlineData("limit=abc", "limit")]
    [InlineData("status=archived", "status")]
    [InlineData("status=7", "status")]
    [InlineData("status=-1", "status")]
    [InlineData("hasOpenEpisode=perhaps", "hasOpenEpisode")]
    public async Task Bad_list_parameters_answer_400_naming_the_parameter(string query, string field)
    {
        var response = await app.Worker().GetAsync($"/api/v1/cases?{query}");
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ProblemFieldsAsync()).Keys.ShouldContain(field);
    }

    public sealed record CasePageDto(List<CaseView> Items, string? NextCursor);
}
