using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Npgsql;
using Pare.Cell.Api.Tests.Alerts;
using Pare.Cell.Api.Tests.Cases;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Operations;

/// <summary>An API on a database restored from a dump, whose schema it must not apply itself.</summary>
public sealed class RestoredApp : PareApp
{
    public override Task InitializeAsync() => Task.CompletedTask;

    public Task StartOnAsync(string connectionString) => InitializeWithAsync(connectionString);

    protected override void Configure(IWebHostBuilder builder) => builder.UseSetting("Database:ApplySchemaOnStartup", "false");
}

/// <summary>
/// The backup procedure of docs/operations.md, run for real: <c>pg_dump -Fc</c> of a database with
/// cases, episodes, alerts and journal entries, <c>pg_restore</c> into a fresh database, and the API
/// on the restored one serves the same cases, timelines, alerts and figures, byte for byte.
/// </summary>
public sealed class BackupRestoreTests(PareApp app) : IClassFixture<PareApp>
{
    private static readonly string[] FirstNames = ["Alix", "Noémie", "Yanis"];
    private static readonly string[] LastNames = ["Roux", "Benali", "Fontaine"];

    [Fact]
    public async Task A_dump_restores_into_a_fresh_database_that_serves_the_same_cases_timelines_alerts_and_figures()
    {
        const string cell = "cell-backup";
        await app.ConfigureCellAsync(cell, AlertScenarios.Criteria(young: true));
        var worker = app.Worker(cell);
        var head = app.Head(cell);
        var cases = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            var opened = await worker.OpenCaseAsync(CaseRequests.NewCase(FirstNames[i], LastNames[i], $"201{i + 4}-0{i + 2}-1{i}")); // three people: no probable duplicate
            var episode = await worker.ReportRunawayAsync(opened.Id, app.Clock.GetUtcNow().AddHours(-5)); // worrying: an alert
            await worker.RecordAsync($"/api/v1/cases/{opened.Id}/episodes/{episode.EpisodeId}/contacts", Requests.Contact());
            if (i == 0) await worker.RecordAsync($"/api/v1/cases/{opened.Id}/episodes/{episode.EpisodeId}/return", Requests.Return(app.Clock.GetUtcNow()));
            (await worker.GetAsync($"/api/v1/cases/{opened.Id}")).EnsureSuccessStatusCode(); // a journal entry
            cases.Add(opened.Id);
        }
        var reads = Reads(cases);
        var before = await ServeAsync(head, reads);
        var counts = await CountsAsync(app.ConnectionString);
        counts.Alerts.ShouldBe(3);
        counts.JournalEntries.ShouldBeGreaterThanOrEqualTo(3);

        var dump = Path.Combine(Path.GetTempPath(), $"pare-{Guid.NewGuid():N}.dump");
        try
        {
            await RunAsync("pg_dump", ["--format=custom", $"--file={dump}", $"--dbname={ConnInfo(app.ConnectionString)}"], app.ConnectionString);
            var restored = await PostgresServer.CreateDatabaseAsync();
            await RunAsync("pg_restore", ["--exit-on-error", "--single-transaction", $"--dbname={ConnInfo(restored)}", dump], restored);

            (await CountsAsync(restored)).ShouldBe(counts);
            await using var restoredApp = new RestoredApp();
            await restoredApp.StartOnAsync(restored);
            var after = await ServeAsync(restoredApp.Head(cell), reads);
            foreach (var path in reads) after[path].ShouldBe(before[path], path);
        }
        finally
        {
            File.Delete(dump);
        }
    }

    private static List<string> Reads(List<Guid> cases) =>
    [
        .. cases.Select(id => $"/api/v1/cases/{id}"),
        .. cases.Select(id => $"/api/v1/cases/{id}/timeline"),
        .. cases.Select(id => $"/api/v1/cases/{id}/episodes"),
        "/api/v1/alerts",
        "/api/v1/figures?from=2026-01-01&to=2026-12-31",
    ];

    private static async Task<Dictionary<string, string>> ServeAsync(HttpClient client, IEnumerable<string> paths)
    {
        var answers = new Dictionary<string, string>();
        foreach (var path in paths)
        {
            var response = await client.GetAsync(path);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, path);
            answers[path] = $"{response.Headers.ETag} {await response.Content.ReadAsStringAsync()}";
        }
        return answers;
    }

    private sealed record Counts(long Events, long Alerts, long JournalEntries, long OutboxRows);

    private static async Task<Counts> CountsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        async Task<long> CountAsync(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            return (long)(await command.ExecuteScalarAsync())!;
        }
        return new Counts(
            await CountAsync("select count(*) from pare.mt_events"),
            await CountAsync("select count(*) from pare.alert_outbox where kind = 'Alert' and channel = 'Email'"),
            await CountAsync("select count(*) from audit.access_journal"),
            await CountAsync("select count(*) from pare.alert_outbox"));
    }

    private static string ConnInfo(string connectionString)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        return $"host={b.Host} port={b.Port} dbname={b.Database} user={b.Username}";
    }

    /// <summary>A client tool of the server's major version (PARE_PG_BIN, else the newest installed).</summary>
    private static async Task RunAsync(string tool, string[] arguments, string connectionString)
    {
        var bin = Environment.GetEnvironmentVariable("PARE_PG_BIN") is { Length: > 0 } configured ? configured
            : Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, tool))).OrderByDescending(d => d, StringComparer.Ordinal).First();
        var start = new ProcessStartInfo(Path.Combine(bin, tool), arguments) { RedirectStandardError = true, RedirectStandardOutput = true };
        if (new NpgsqlConnectionStringBuilder(connectionString).Password is { } password) start.Environment["PGPASSWORD"] = password;
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        process.ExitCode.ShouldBe(0, $"{tool}: {await error}");
    }
}
