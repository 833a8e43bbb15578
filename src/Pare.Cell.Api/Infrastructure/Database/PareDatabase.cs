using Npgsql;

namespace Pare.Cell.Api.Infrastructure.Database;

/// <summary>
/// Where the database is. The contract with deploy files and integrators:
/// <c>ConnectionStrings:Pare</c> (env <c>ConnectionStrings__Pare</c>). In Development only, when
/// it is absent, a local cluster is created and started under <c>.data/postgres</c> in the repo.
/// </summary>
public static partial class PareDatabase
{
    public const int DefaultMaxPoolSize = 20;

    [System.Text.RegularExpressions.GeneratedRegex(@"max(imum)?\s*pool\s*size", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex MaxPoolSizeSetting();

    public const string ConnectionStringName = "Pare";
    public const string ConnectionStringKey = "ConnectionStrings:" + ConnectionStringName;
    public const string LocalDatabaseName = "pare";

    public static async Task<string> ResolveConnectionStringAsync(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration.GetConnectionString(ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(configured)) return configured;

        if (!environment.IsDevelopment())
            throw new InvalidOperationException(
                $"No database configured: set {ConnectionStringKey} (environment variable ConnectionStrings__{ConnectionStringName}).");

        var folder = configuration["LocalDatabase:Directory"] ?? Path.Combine(FindRepositoryRoot(environment.ContentRootPath), ".data", "postgres");
        var port = LocalPostgresCluster.ChoosePort(folder, configuration.GetValue("LocalDatabase:Port", 54329));
        var cluster = new LocalPostgresCluster(folder, port, throwaway: false);
        await cluster.StartAsync();
        await CreateDatabaseIfMissingAsync(cluster.ConnectionString(), LocalDatabaseName);
        return cluster.ConnectionString(LocalDatabaseName);
    }

    /// <summary>
    /// The one pool every part of the application shares (Marten, the journal, the jobs' queries).
    /// A connection goes back to the pool as it is: no <c>DISCARD ALL</c> round trip, which would
    /// also throw away the server's cached plans of Marten's append function on every request
    /// (nothing here leaves session state behind: no SET, no temporary table, advisory locks are
    /// released). Statements repeated thousands of times a minute are prepared once per connection.
    /// </summary>
    /// <remarks>
    /// The pool is small on purpose (unless the connection string sets its own maximum): PostgreSQL
    /// does best with a few busy connections per core. Under a burst, requests wait their turn here,
    /// cheaply, instead of each forking a new server process that must warm its caches while the
    /// others wait for CPU: measured on 2 cores, a 100-connection pool turned a burst into one-second
    /// stalls (bench/Pare.Cell.Bench throughput, half-load phase).
    /// </remarks>
    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (!MaxPoolSizeSetting().IsMatch(connectionString)) builder.ConnectionStringBuilder.MaxPoolSize = DefaultMaxPoolSize;
        builder.ConnectionStringBuilder.NoResetOnClose = true;
        builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
        builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        return builder.Build();
    }

    public static async Task CreateDatabaseIfMissingAsync(string serverConnectionString, string database)
    {
        await using var connection = new NpgsqlConnection(serverConnectionString);
        await connection.OpenAsync();
        await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = $1", connection) { Parameters = { new() { Value = database } } };
        if (await exists.ExecuteScalarAsync() is not null) return;
        await using var create = new NpgsqlCommand($"create database \"{database}\"", connection);
        await create.ExecuteNonQueryAsync();
    }

    private static string FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Pare.Cell.sln"))) return dir.FullName;
        return start;
    }
}
