using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Pare.Cell.Api.Infrastructure.Auth;
using Serilog.Core;
using Serilog.Events;

namespace Pare.Cell.Api.Tests.Infrastructure;

/// <summary>
/// The real API (real HTTP pipeline, real PostgreSQL, own database) with a fake clock, a known
/// signing key and every log event captured, plus helpers to call it as a given member of a cell.
/// </summary>
public class PareApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string CellA = "cell-a";
    public const string CellB = "cell-b";

    private readonly string _signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));

    /// <summary>The server's superuser on this app's database: the tests' own SQL (setting up, corrupting, checking).</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>The database's owner: the app applies the schema as this role at startup, then grants the application role.</summary>
    public string OwnerConnectionString => PostgresServer.AsOwner(ConnectionString);
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 28, 9, 0, 0, TimeSpan.Zero));
    public CapturedLogs Logs { get; } = new();

    /// <summary>How the app resolves the hosts of outbound URLs: DNS, except the names a test maps.</summary>
    public TestHostResolver Hosts { get; } = new();

    /// <summary>Checks every response of this app: journaled when it carries a case's canary, partner answers without foreign ids.</summary>
    public ResponseWitness Witness { get; } = new();

    /// <summary>The spans recorded since <see cref="CapturedSpans.Start"/>, when <see cref="RecordsTelemetry"/> (sampled at 100 %).</summary>
    public CapturedSpans Spans { get; } = new();

    /// <summary>The app's metrics, as last exported by <see cref="FlushMetrics"/>, when <see cref="RecordsTelemetry"/>.</summary>
    public List<OpenTelemetry.Metrics.MetricSnapshot> Metrics { get; } = [];

    /// <summary>The operator token of the app's Prometheus endpoint.</summary>
    public string MetricsToken { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    /// <summary>Record every span and metric in memory (off for the shared app: thousands of requests).</summary>
    protected virtual bool RecordsTelemetry => false;

    /// <summary>
    /// Where the app connects, as the application role, like a deployment: a grant missing from
    /// migrate fails the tests that need it. A test may point it elsewhere (through a proxy).
    /// </summary>
    public virtual string AppConnectionString => PostgresServer.AsApplication(ConnectionString);

    /// <summary>
    /// The shared app serves the API only: no job server, so nothing writes to cases behind the
    /// tests' back. <see cref="AlertingApp"/> runs the job server and an SMTP server too.
    /// </summary>
    protected virtual string Roles => "api";

    protected virtual void Configure(IWebHostBuilder builder) { }

    /// <summary>Requests per caller per minute; 0: no limit (the suite makes thousands as one worker).</summary>
    protected virtual int RateLimit => 0;

    public virtual async Task InitializeAsync() => await InitializeWithAsync(await PostgresServer.CreateDatabaseAsync());

    protected Task InitializeWithAsync(string connectionString)
    {
        ConnectionString = connectionString;
        Witness.UseDatabase(connectionString);
        Start();
        return Task.CompletedTask;
    }

    /// <summary>Starts the host now (schema applied before the first test): in memory, or on a real port (<see cref="Console.Browser.BrowserApp"/>).</summary>
    protected virtual void Start() => _ = Server;

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    /// <summary>Fails the fixture too when the witness saw a violation, whichever test's request made it.</summary>
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Witness.Dispose();
        GC.SuppressFinalize(this);
        if (Witness.Violations.Count > 0)
            throw new ResponseWitnessException($"{Witness.Violations.Count} responses broke the witness's rules:\n{string.Join('\n', Witness.Violations.Take(20))}");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Pare", AppConnectionString);
        builder.UseSetting("ConnectionStrings:PareOwner", OwnerConnectionString);
        builder.UseSetting("Database:ApplySchemaOnStartup", "true");
        builder.UseSetting("Auth:SigningKey", _signingKey);
        builder.UseSetting("Hosting:Roles", Roles);
        builder.UseSetting("Console:DemoCells", $"{CellA},{CellB}");
        builder.UseSetting("RateLimits:PerCallerPerMinute", RateLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("RateLimits:AnonymousPerMinute", RateLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Telemetry:MetricsToken", MetricsToken);
        // The tests' webhook receivers listen on 127.0.0.1; every other private address stays refused (127.0.0.2 too).
        builder.UseSetting("Outbound:AllowedHosts:0", "127.0.0.1");
        if (RecordsTelemetry) builder.UseSetting("Telemetry:TraceSampleRatio", "1");
        Configure(builder);
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<ILogEventSink>(Logs);
            services.AddSingleton(Witness);
            services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, ResponseWitnessStartup>();
            services.RemoveAll<Api.Infrastructure.Http.IHostResolver>();
            services.AddSingleton<Api.Infrastructure.Http.IHostResolver>(Hosts);
            if (!RecordsTelemetry) return;
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(new OpenTelemetry.SimpleActivityExportProcessor(Spans)));
            services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(Metrics));
        });
    }

    public HttpClient Anonymous(string? language = null)
    {
        var client = CreateClient();
        if (language is not null) client.DefaultRequestHeaders.AcceptLanguage.Add(new StringWithQualityHeaderValue(language));
        return client;
    }

    public HttpClient As(string userId, string cell, params string[] roles) => Authenticated(userId, cell, null, roles);

    /// <summary>A member of the cell whose token carries a name, as the staff directory records it.</summary>
    public HttpClient Member(string userId, string cell, string name, params string[] roles) => Authenticated(userId, cell, null, roles, name);

    private HttpClient Authenticated(string userId, string cell, string? language, string[] roles, string? name = null)
    {
        var client = Anonymous(language);
        // Tokens are checked against the real clock, whatever the app's fake clock says.
        var token = new TokenIssuer(Services.GetRequiredService<AuthSettings>(), TimeProvider.System).Issue(userId, cell, roles, name: name);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public HttpClient Worker(string cell = CellA, string? language = null) => Authenticated("worker-1", cell, language, [Api.Infrastructure.Auth.Roles.Worker]);
    public HttpClient Head(string cell = CellA, string? language = null) => Authenticated("head-1", cell, language, [Api.Infrastructure.Auth.Roles.Head]);

    public async Task<long> ScalarAsync(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<string?> TextAsync(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        return await command.ExecuteScalarAsync() as string;
    }

    public async Task<Guid> ScalarGuidAsync(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        return (Guid)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Collects the metrics now into <see cref="Metrics"/> (replacing the previous collection).</summary>
    public void FlushMetrics()
    {
        lock (Metrics) Metrics.Clear();
        Services.GetRequiredService<OpenTelemetry.Metrics.MeterProvider>().ForceFlush();
    }

    public Task<long> EventCountAsync() => ScalarAsync("select count(*) from pare.mt_events");
}

/// <summary>
/// Spans, kept only between <see cref="Start"/> and the end of the test: every host of the test process
/// emits into the same activity sources, and the suite runs thousands of requests.
/// </summary>
public sealed class CapturedSpans : OpenTelemetry.BaseExporter<System.Diagnostics.Activity>
{
    private readonly List<System.Diagnostics.Activity> _spans = [];
    private volatile bool _recording;

    public void Start()
    {
        lock (_spans) _spans.Clear();
        _recording = true;
    }

    public override OpenTelemetry.ExportResult Export(in OpenTelemetry.Batch<System.Diagnostics.Activity> batch)
    {
        if (!_recording) return OpenTelemetry.ExportResult.Success;
        lock (_spans)
            foreach (var activity in batch) _spans.Add(activity);
        return OpenTelemetry.ExportResult.Success;
    }

    public IReadOnlyList<System.Diagnostics.Activity> Items
    {
        get { lock (_spans) return [.. _spans]; }
    }
}

/// <summary>Every log event the app wrote, rendered with its properties, for leak checks.</summary>
public sealed class CapturedLogs : ILogEventSink
{
    private readonly List<(LogEventLevel Level, string Text)> _lines = [];

    public void Emit(LogEvent logEvent)
    {
        using var writer = new StringWriter();
        logEvent.RenderMessage(writer, System.Globalization.CultureInfo.InvariantCulture);
        writer.Write($" TraceId={logEvent.TraceId} SpanId={logEvent.SpanId}");
        foreach (var (key, value) in logEvent.Properties) writer.Write($" {key}={value}");
        if (logEvent.Exception is not null) writer.Write($" {logEvent.Exception}");
        lock (_lines) _lines.Add((logEvent.Level, writer.ToString()));
    }

    /// <summary>Every line with its level.</summary>
    public IReadOnlyList<(LogEventLevel Level, string Text)> Events
    {
        get { lock (_lines) return [.. _lines]; }
    }

    /// <summary>Request log lines are written after the response is sent: wait for them a little.</summary>
    public async Task WaitForAsync(Func<string, bool> predicate, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (!Lines.Any(predicate) && DateTime.UtcNow < deadline) await Task.Delay(20);
    }

    public IReadOnlyList<string> Lines
    {
        get { lock (_lines) return [.. _lines.Select(l => l.Text)]; }
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<PareApp>
{
    public const string Name = "api";
}
