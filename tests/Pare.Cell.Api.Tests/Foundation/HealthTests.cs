using System.Net;
using Npgsql;
using Pare.Cell.Api.Tests.Infrastructure;

namespace Pare.Cell.Api.Tests.Foundation;

/// <summary>An app of its own, reaching PostgreSQL through a proxy this test cuts and restores.</summary>
public sealed class AppBehindProxy : PareApp
{
    public TcpProxy Proxy { get; private set; } = null!;

    protected override void Configure(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder) =>
        builder.UseSetting("Telemetry:DatabaseProbeInterval", "00:00:00.200");

    public override string AppConnectionString =>
        new NpgsqlConnectionStringBuilder(base.AppConnectionString) { Port = Proxy.Port, Timeout = 2, Pooling = false }.ConnectionString;

    public override async Task InitializeAsync()
    {
        var database = await PostgresServer.CreateDatabaseAsync();
        Proxy = new TcpProxy(new NpgsqlConnectionStringBuilder(database).Port);
        await InitializeWithAsync(database);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Proxy.DisposeAsync();
    }
}

public sealed class HealthTests(AppBehindProxy app) : IClassFixture<AppBehindProxy>
{
    [Fact]
    public async Task Ready_is_503_while_the_database_is_unreachable_and_200_when_it_is_back()
    {
        var client = app.Anonymous();
        (await client.GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);

        app.Proxy.Cut();
        (await client.GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await client.GetAsync("/health/live")).StatusCode.ShouldBe(HttpStatusCode.OK);

        app.Proxy.Restore();
        (await client.GetAsync("/health/ready")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_database_down_alarm_s_gauge_drops_to_zero_while_the_database_is_unreachable()
    {
        var scrape = app.Anonymous();
        scrape.DefaultRequestHeaders.Authorization = new("Bearer", app.MetricsToken);
        async Task<bool> ShowsAsync(string value)
        {
            for (var i = 0; i < 100; i++)
            {
                var text = await scrape.GetStringAsync("/metrics");
                // pare_database_up{otel_scope_name="Pare.Cell"} 0 1764…   (labels and a timestamp optional)
                if (System.Text.RegularExpressions.Regex.IsMatch(text, $@"(?m)^pare_database_up(\{{[^}}]*\}})? {value}( \d+)?$")) return true;
                await Task.Delay(100);
            }
            return false;
        }

        (await ShowsAsync("1")).ShouldBeTrue();
        app.Proxy.Cut();
        try
        {
            (await ShowsAsync("0")).ShouldBeTrue();
        }
        finally
        {
            app.Proxy.Restore();
        }
        (await ShowsAsync("1")).ShouldBeTrue();
    }

    [Fact]
    public async Task A_database_outage_answers_503_problem_details_not_a_hang()
    {
        var worker = app.Worker();
        app.Proxy.Cut();
        try
        {
            var started = DateTime.UtcNow;
            var response = await worker.PostJsonAsync("/api/v1/cases", Cases.CaseRequests.NewCase());
            response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
            response.Headers.RetryAfter.ShouldNotBeNull();
            (DateTime.UtcNow - started).ShouldBeLessThan(TimeSpan.FromSeconds(10));

            // Written inside the request, after authentication: the line names its trace, user and cell.
            var traceId = (await response.ReadObjectAsync())["traceId"]!.GetValue<string>();
            await app.Logs.WaitForAsync(l => l.StartsWith("Database unavailable", StringComparison.Ordinal) && l.Contains(traceId, StringComparison.Ordinal));
            var line = app.Logs.Lines.First(l => l.StartsWith("Database unavailable", StringComparison.Ordinal) && l.Contains(traceId, StringComparison.Ordinal));
            line.ShouldContain("UserId=\"worker-1\"");
            line.ShouldContain($"CellId=\"{PareApp.CellA}\"");
        }
        finally
        {
            app.Proxy.Restore();
        }
    }
}
