using System.Net;
using System.Net.Sockets;
using Npgsql;
using Pare.Cell.Api.Infrastructure.Database;
using Testcontainers.PostgreSql;

namespace Pare.Cell.Api.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL server the tests run against, found once per test run in this order:
/// <c>PARE_TEST_CONNECTION</c> (a server where databases may be created); Testcontainers when a
/// Docker daemon answers; otherwise a throwaway cluster from the local server binaries.
/// Each fixture then creates its own database, so runs are isolated and can run twice in a row.
/// <para>
/// Three roles, as in production: the server's superuser (the tests' own SQL, through
/// <see cref="CreateDatabaseAsync"/>'s connection string), the database's owner, which applies the
/// schema (<see cref="AsOwner"/>), and the application role the API and job servers run as
/// (<see cref="AsApplication"/>), granted by the schema migration like any deployment's.
/// </para>
/// </summary>
public static class PostgresServer
{
    public const string OwnerRole = "pare_test_owner";
    public const string ApplicationRole = "pare_test_app";
    private const string RolePassword = "pare-test-only";

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _serverConnectionString;

    /// <summary>A new database owned by <see cref="OwnerRole"/>; the connection string is the superuser's.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var server = await ServerAsync();
        var name = $"pare_test_{Guid.NewGuid():N}";
        await PareDatabase.CreateDatabaseIfMissingAsync(server, name, OwnerRole);
        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    public static string AsOwner(string connectionString) => As(connectionString, OwnerRole);

    public static string AsApplication(string connectionString) => As(connectionString, ApplicationRole);

    private static string As(string connectionString, string role) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Username = role, Password = RolePassword }.ConnectionString;

    private static async Task<string> ServerAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_serverConnectionString is not null) return _serverConnectionString;
            var server = await FindServerAsync();
            await PareDatabase.CreateRoleIfMissingAsync(server, OwnerRole, RolePassword);
            await PareDatabase.CreateRoleIfMissingAsync(server, ApplicationRole, RolePassword);
            return _serverConnectionString = server;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<string> FindServerAsync()
    {
        var configured = Environment.GetEnvironmentVariable("PARE_TEST_CONNECTION");
        if (!string.IsNullOrWhiteSpace(configured)) return configured;

        try
        {
            var container = new PostgreSqlBuilder("postgres:15").Build();
            await container.StartAsync();
            AppDomain.CurrentDomain.ProcessExit += (_, _) => container.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return container.GetConnectionString();
        }
        catch (Exception e) when (e.GetType().Name.Contains("DockerUnavailable", StringComparison.Ordinal) || e is InvalidOperationException or HttpRequestException or TimeoutException)
        {
            // No Docker engine here: fall back to the local binaries.
        }

        var folder = Path.Combine(Path.GetTempPath(), $"pare-tests-{Environment.ProcessId}-{Guid.NewGuid():N}"[..32]);
        var cluster = new LocalPostgresCluster(folder, FreePort(), throwaway: true);
        await cluster.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            cluster.StopAsync().GetAwaiter().GetResult();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
        return cluster.ConnectionString();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
