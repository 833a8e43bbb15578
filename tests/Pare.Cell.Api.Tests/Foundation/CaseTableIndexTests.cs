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
}
