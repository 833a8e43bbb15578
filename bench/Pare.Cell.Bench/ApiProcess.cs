using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Npgsql;
using Pare.Cell.Api.Infrastructure.Auth;
using Pare.Cell.Api.Infrastructure.Database;

namespace Pare.Cell.Bench;

/// <summary>
/// A PostgreSQL cluster with production settings (fsync on) and the API as a separate OS
/// process on loopback, as it runs in production: real sockets, real Kestrel, real commits, and
/// the database roles of a deployment (the schema applied as its owner, the API connected as the
/// application role). <see cref="ConnectionString"/> is the cluster's superuser, for the bench's own SQL.
/// </summary>
public sealed class BenchEnvironment : IAsyncDisposable
{
    private readonly LocalPostgresCluster _cluster;
    private readonly List<Process> _apis = [];
    private readonly string _signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));

    private BenchEnvironment(LocalPostgresCluster cluster, string connectionString, bool statementProfile)
    {
        _cluster = cluster;
        ConnectionString = connectionString;
        StatementProfile = statementProfile;
    }

    public string ConnectionString { get; }
    public int PostgresPort => _cluster.Port;

    /// <summary>With <c>--statements</c>: the server tracks statements and scenarios print where its time went.</summary>
    public bool StatementProfile { get; }

    public static async Task<BenchEnvironment> StartAsync(bool statementProfile = false)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"pare-bench-{Environment.ProcessId}");
        string[] settings = statementProfile ? ["shared_preload_libraries=pg_stat_statements", "pg_stat_statements.track=all"] : [];
        var cluster = new LocalPostgresCluster(folder, FreePort(), throwaway: false, settings);
        await cluster.StartAsync();
        await PareDatabase.CreateRoleIfMissingAsync(cluster.ConnectionString(), PareDatabase.LocalOwnerRole, password: null);
        await PareDatabase.CreateRoleIfMissingAsync(cluster.ConnectionString(), PareDatabase.LocalApplicationRole, password: null);
        await PareDatabase.CreateDatabaseIfMissingAsync(cluster.ConnectionString(), "pare_bench", PareDatabase.LocalOwnerRole);
        return new BenchEnvironment(cluster, cluster.ConnectionString("pare_bench"), statementProfile);
    }

    /// <summary>Forget the statements tracked so far (a no-op without <c>--statements</c>).</summary>
    public async Task ResetStatementsAsync()
    {
        if (!StatementProfile) return;
        await using var dataSource = DataSource();
        await dataSource.CreateCommand("create extension if not exists pg_stat_statements; select pg_stat_statements_reset();").ExecuteNonQueryAsync();
    }

    /// <summary>The statements that took the server's time since the last reset, per call (with <c>--statements</c>).</summary>
    public async Task PrintStatementsAsync(string phase, int top = 15)
    {
        if (!StatementProfile) return;
        await using var dataSource = DataSource();
        await using var command = dataSource.CreateCommand("""
            select calls, total_exec_time / calls, left(regexp_replace(query, '\s+', ' ', 'g'), 140)
            from pg_stat_statements where query not like '%pg_stat_statements%' order by total_exec_time desc limit $1
            """);
        command.Parameters.AddWithValue(top);
        await using var reader = await command.ExecuteReaderAsync();
        Console.WriteLine($"  statements during {phase} (calls, mean ms; nested statements counted inside their function too):");
        while (await reader.ReadAsync())
            Console.WriteLine($"  {reader.GetInt64(0),8} {reader.GetDouble(1),8:0.000}  {reader.GetString(2)}");
        await reader.DisposeAsync();
        await using var updates = dataSource.CreateCommand("select n_tup_upd, n_tup_hot_upd from pg_stat_user_tables where relname = 'mt_doc_case'");
        await using var counts = await updates.ExecuteReaderAsync();
        if (await counts.ReadAsync()) Console.WriteLine($"  case rows updated: {counts.GetInt64(0)}, of which HOT (no index touched): {counts.GetInt64(1)}");
    }

    public async Task<Uri> StartApiAsync(string roles = "api,jobs", IReadOnlyDictionary<string, string>? settings = null)
    {
        var port = FreePort();
        var dll = Path.Combine(RepositoryRoot(), "src", "Pare.Cell.Api", "bin", "Release", "net10.0", "Pare.Cell.Api.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"Build the API first: dotnet build -c Release ({dll} missing).");
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__Pare"] = As(PareDatabase.LocalApplicationRole);
        start.Environment["ConnectionStrings__PareOwner"] = As(PareDatabase.LocalOwnerRole);
        start.Environment["Database__ApplySchemaOnStartup"] = "true";
        start.Environment["Auth__SigningKey"] = _signingKey;
        start.Environment["Hosting__Roles"] = roles;
        start.Environment["RateLimits__PerCallerPerMinute"] = "0"; // a bench client is one caller at machine speed
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) start.Environment[key] = value;
        var process = Process.Start(start)!;
        var log = TextWriter.Synchronized(new StreamWriter(Path.Combine(_cluster.RootDirectory, $"api-{_apis.Count}.log")) { AutoFlush = true });
        Drain(process.StandardOutput, log);
        Drain(process.StandardError, log);
        _apis.Add(process);

        var url = new Uri($"http://127.0.0.1:{port}");
        using var probe = new HttpClient { BaseAddress = url };
        for (var i = 0; i < 600; i++)
        {
            try
            {
                if ((await probe.GetAsync("/health/ready")).IsSuccessStatusCode) return url;
            }
            catch (HttpRequestException) { }
            if (process.HasExited) throw new InvalidOperationException("The API process exited at startup.");
            await Task.Delay(100);
        }
        throw new TimeoutException("The API did not become ready.");
    }

    /// <summary>
    /// Copies an API process's output to its log file on a dedicated thread. A pipe read blocks its
    /// thread the whole time; two thread-pool threads held that way (stdout, stderr) starved this
    /// load generator on 2 cores and showed up as one-second stalls in the API's latencies.
    /// </summary>
    private static void Drain(StreamReader output, TextWriter log) =>
        new Thread(() =>
        {
            while (output.ReadLine() is { } line) log.WriteLine(line);
        }) { IsBackground = true, Name = "api output" }.Start();

    /// <summary>SIGKILL every API process started so far.</summary>
    public void KillApis()
    {
        foreach (var api in _apis.Where(a => !a.HasExited)) api.Kill(entireProcessTree: true);
        foreach (var api in _apis) api.WaitForExit();
    }

    /// <summary>SIGKILL the n-th API process started.</summary>
    public void KillApi(int index)
    {
        _apis[index].Kill(entireProcessTree: true);
        _apis[index].WaitForExit();
    }

    public HttpClient Client(Uri api, string cell, string role, string user = "bench-worker")
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = api };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token(cell, role, user));
        return client;
    }

    /// <summary>A bearer token the API processes of this environment accept.</summary>
    public string Token(string cell, string role, string user = "bench-worker")
    {
        var settings = new AuthSettings("pare-cell", "pare-cell-api", new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(_signingKey)), null);
        return new TokenIssuer(settings, TimeProvider.System).Issue(user, cell, [role]);
    }

    private string As(string role) => new NpgsqlConnectionStringBuilder(ConnectionString) { Username = role }.ConnectionString;

    /// <summary>A folder of this run's own, deleted with the cluster.</summary>
    public string Folder => _cluster.RootDirectory;

    public NpgsqlDataSource DataSource() => NpgsqlDataSource.Create(ConnectionString);

    public async ValueTask DisposeAsync()
    {
        foreach (var api in _apis)
        {
            if (!api.HasExited) api.Kill(entireProcessTree: true);
            await api.WaitForExitAsync();
        }
        await _cluster.StopAsync();
        try { Directory.Delete(_cluster.RootDirectory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Pare.Cell.sln"))) return dir.FullName;
        throw new InvalidOperationException("Run from inside the repository.");
    }
}
