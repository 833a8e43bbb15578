using Npgsql;

namespace Pare.Cell.Api.Infrastructure.Database;

/// <summary>
/// Where the database is, and as whom. The contract with deploy files and integrators:
/// <c>ConnectionStrings:Pare</c> (env <c>ConnectionStrings__Pare</c>) is what the API and the job
/// servers connect with: the application role (see <see cref="DatabaseRoles"/>).
/// <c>ConnectionStrings:PareOwner</c> is the schema owner's, for <c>migrate</c> (and for the
/// schema at startup when <c>Database:ApplySchemaOnStartup</c> is on); without it, the owner is
/// the application's connection itself. In Development only, when neither is set, a local cluster
/// is created and started under <c>.data/postgres</c> in the repo, with an owner and an
/// application role of its own.
/// </summary>
public static partial class PareDatabase
{
    public const int DefaultMaxPoolSize = 20;

    [System.Text.RegularExpressions.GeneratedRegex(@"max(imum)?\s*pool\s*size", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex MaxPoolSizeSetting();

    public const string ConnectionStringName = "Pare";
    public const string ConnectionStringKey = "ConnectionStrings:" + ConnectionStringName;
    public const string OwnerConnectionStringName = "PareOwner";
    public const string LocalDatabaseName = "pare";
    /// <summary>The roles of the local Development cluster (trust authentication, loopback only).</summary>
    public const string LocalOwnerRole = "pare_owner";
    public const string LocalApplicationRole = "pare_app";

    public static async Task<DatabaseConnections> ResolveAsync(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration.GetConnectionString(ConnectionStringName);
        if (!string.IsNullOrWhiteSpace(configured))
            return DatabaseConnections.From(configuration, configured, configuration.GetConnectionString(OwnerConnectionStringName));

        if (!environment.IsDevelopment())
            throw new InvalidOperationException(
                $"No database configured: set {ConnectionStringKey} (environment variable ConnectionStrings__{ConnectionStringName}).");

        var folder = configuration["LocalDatabase:Directory"] ?? Path.Combine(FindRepositoryRoot(environment.ContentRootPath), ".data", "postgres");
        var port = LocalPostgresCluster.ChoosePort(folder, configuration.GetValue("LocalDatabase:Port", 54329));
        var cluster = new LocalPostgresCluster(folder, port, throwaway: false);
        await cluster.StartAsync();
        var server = cluster.ConnectionString();
        await CreateRoleIfMissingAsync(server, LocalOwnerRole, password: null);
        await CreateRoleIfMissingAsync(server, LocalApplicationRole, password: null);
        // A database created before the roles existed stays its first owner's (the cluster's superuser).
        var owner = await CreateDatabaseIfMissingAsync(server, LocalDatabaseName, LocalOwnerRole);
        var database = cluster.ConnectionString(LocalDatabaseName);
        return DatabaseConnections.From(configuration,
            new NpgsqlConnectionStringBuilder(database) { Username = LocalApplicationRole }.ConnectionString,
            new NpgsqlConnectionStringBuilder(database) { Username = owner }.ConnectionString);
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
        builder.UsePhysicalConnectionInitializer(RefuseSuperuser, connection =>
        {
            RefuseSuperuser(connection);
            return Task.CompletedTask;
        });
        if (!MaxPoolSizeSetting().IsMatch(connectionString)) builder.ConnectionStringBuilder.MaxPoolSize = DefaultMaxPoolSize;
        builder.ConnectionStringBuilder.NoResetOnClose = true;
        builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
        builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        return builder.Build();
    }

    /// <summary>
    /// The application never connects as a superuser: one could switch the journal's triggers off
    /// (<c>session_replication_role</c>) or rewrite any table. PostgreSQL reports the attribute when
    /// a connection opens, so checking costs no round trip.
    /// </summary>
    private static void RefuseSuperuser(NpgsqlConnection connection)
    {
        if (connection.PostgresParameters.TryGetValue("is_superuser", out var superuser) && superuser == "on")
            throw new SuperuserConnectionException(connection.UserName);
    }

    /// <summary>Creates the database if missing, owned by <paramref name="owner"/>; returns its owner's name.</summary>
    public static async Task<string> CreateDatabaseIfMissingAsync(string serverConnectionString, string database, string? owner = null)
    {
        await using var connection = new NpgsqlConnection(serverConnectionString);
        await connection.OpenAsync();
        await using var exists = new NpgsqlCommand("select pg_get_userbyid(datdba) from pg_database where datname = $1", connection)
        {
            Parameters = { new() { Value = database } },
        };
        if (await exists.ExecuteScalarAsync() is string existingOwner) return existingOwner;
        await using var statement = new NpgsqlCommand("select format('create database %I owner %I', $1::text, coalesce($2, current_user))", connection)
        {
            Parameters = { new() { Value = database }, new() { Value = (object?)owner ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text } },
        };
        await using var create = new NpgsqlCommand((string)(await statement.ExecuteScalarAsync())!, connection);
        await create.ExecuteNonQueryAsync();
        return owner ?? connection.UserName!;
    }

    /// <summary>A login role with no other attribute, if missing (run as a superuser: local clusters, tests, the bench).</summary>
    public static async Task CreateRoleIfMissingAsync(string serverConnectionString, string role, string? password)
    {
        await using var connection = new NpgsqlConnection(serverConnectionString);
        await connection.OpenAsync();
        await using var statement = new NpgsqlCommand("""
            select format('create role %I login nosuperuser nocreatedb nocreaterole password %L', $1::text, $2::text)
            where not exists (select from pg_roles where rolname = $1)
            """, connection)
        {
            Parameters = { new() { Value = role }, new() { Value = (object?)password ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text } },
        };
        if (await statement.ExecuteScalarAsync() is not string create) return;
        await using var creation = new NpgsqlCommand(create, connection);
        try
        {
            await creation.ExecuteNonQueryAsync();
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateObject or PostgresErrorCodes.UniqueViolation)
        {
            // Created meanwhile by another process on the same server.
        }
    }

    private static string FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Pare.Cell.sln"))) return dir.FullName;
        return start;
    }
}

/// <summary>The API was configured to connect as a superuser: it refuses (see <see cref="DatabaseRoles"/>).</summary>
public sealed class SuperuserConnectionException(string? role) : InvalidOperationException(
    $"The application's database role '{role}' is a superuser: connect as the application role (see README, Database roles).");

/// <summary>
/// As whom the program connects: the application role for everything it does while running, the
/// owner for the schema. <see cref="ApplicationRole"/> is the role <c>migrate</c> grants (and
/// creates when missing): <c>Database:ApplicationRole</c> (with <c>Database:ApplicationRolePassword</c>),
/// else the user of <c>ConnectionStrings:Pare</c> when the owner connects as someone else.
/// </summary>
public sealed record DatabaseConnections(string Application, string Owner, ApplicationRole? ApplicationRole)
{
    public static DatabaseConnections From(IConfiguration configuration, string application, string? owner)
    {
        owner = string.IsNullOrWhiteSpace(owner) ? application : owner;
        var app = new NpgsqlConnectionStringBuilder(application);
        var ownerUser = new NpgsqlConnectionStringBuilder(owner).Username;
        var name = configuration["Database:ApplicationRole"];
        if (string.IsNullOrWhiteSpace(name)) name = app.Username != ownerUser ? app.Username : null;
        if (name is null) return new DatabaseConnections(application, owner, null);
        var password = configuration["Database:ApplicationRolePassword"];
        if (string.IsNullOrEmpty(password) && name == app.Username) password = app.Password;
        return new DatabaseConnections(application, owner, new ApplicationRole(name, string.IsNullOrEmpty(password) ? null : password));
    }
}
