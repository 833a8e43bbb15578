using Pare.Cell.Api.Tests.Cases;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Foundation;

/// <summary>
/// Every command rewrites its case row. As long as no index holds a column that every command
/// changes (<c>last_activity_at</c>, the document itself), PostgreSQL rewrites the row in place
/// (HOT) and touches no index. A new index on such a column would silently double the write cost.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class CaseTableIndexTests(PareApp app)
{
    [Fact]
    public async Task No_index_on_the_case_table_holds_a_column_every_command_changes()
    {
        (await app.ScalarAsync("""
            select count(*) from pg_indexes
            where schemaname = 'pare' and tablename = 'mt_doc_case'
              and (indexdef like '%last_activity_at%' or indexdef like '%(data%' or indexdef like '%mt_version%' or indexdef like '%mt_last_modified%')
            """)).ShouldBe(0);
        (await app.ScalarAsync("select count(*) from pg_indexes where schemaname = 'pare' and tablename = 'mt_doc_case'")).ShouldBe(3);
    }

    /// <summary>
    /// Empty members are left out of the stored JSON: with them, the snapshot of a case with one
    /// episode passed the size at which PostgreSQL compresses a row, on every command.
    /// </summary>
    [Fact]
    public async Task Snapshots_and_events_are_stored_without_empty_members()
    {
        var worker = app.Worker();
        var opened = await worker.OpenCaseAsync();
        await worker.ReportRunawayAsync(opened.Id, app.Clock.GetUtcNow().AddHours(-1));

        (await app.ScalarAsync("select count(*) from pare.mt_doc_case where id = $1 and data::text like '%: null%'", opened.Id)).ShouldBe(0);
        (await app.ScalarAsync("select count(*) from pare.mt_events where stream_id = $1 and data::text like '%: null%'", opened.Id)).ShouldBe(0);
        (await app.ScalarAsync("select count(*) from pare.mt_events where stream_id = $1", opened.Id)).ShouldBeGreaterThan(1);
        (await app.ScalarAsync("select pg_column_size(data) from pare.mt_doc_case where id = $1", opened.Id)).ShouldBeLessThan(2000);
    }

    /// <summary>
    /// Auto-analyze of the event table, which every command grows, samples few events and skips
    /// their bodies: no query filters on them, and sorting 30,000 of them took a core for half a
    /// second under load.
    /// </summary>
    [Fact]
    public async Task The_event_table_is_analyzed_coarsely_and_without_its_bodies()
    {
        (await app.ScalarAsync("select attstattarget from pg_attribute where attrelid = 'pare.mt_events'::regclass and attname = 'data'")).ShouldBe(0);
        (await app.ScalarAsync("""
            select count(*) from pg_attribute
            where attrelid = 'pare.mt_events'::regclass and attnum > 0 and not attisdropped and attstattarget not between 0 and 10
            """)).ShouldBe(0);
    }
}
