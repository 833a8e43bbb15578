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
/// </summary>
public static class PostgresServer
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _serverConnectionString;

    public static async Task<string> CreateDatabaseAsync()
    {
        var server = await ServerAsync();
        var name = $"pare_test_{Guid.NewGuid():N}";
        await PareDatabase.CreateDatabaseIfMissingAsync(server, name);
        return new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
    }

    private static async Task<string> ServerAsync()
    {
        await Gate.WaitAsync();
        try
        {
            return _serverConnectionString ??= await FindServerAsync();
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
