using System.Net.Sockets;
using Npgsql;

namespace Pare.Cell.Api.Infrastructure.Database;

/// <summary>
/// Whether an exception means PostgreSQL is out of reach for a moment (restarting, shutting down,
/// full, the network) rather than a defect: the API answers 503 with <see cref="RetryAfterSeconds"/>,
/// jobs and the dispatcher log a warning without a stack trace and try again.
/// </summary>
public static class DatabaseOutage
{
    /// <summary>
    /// What <c>Retry-After</c> says. Measured by the kill -9 drill: after an immediate stop, PostgreSQL
    /// answered again within 0.2–1.2 s; a longer hint only makes an obedient client wait for nothing.
    /// </summary>
    public const int RetryAfterSeconds = 1;

    public static bool Is(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            // The server answered: an outage only if it said it cannot serve (class 08 connection
            // exceptions, 53300 too many connections, 57P01–57P03 shutting down, crashed, starting up).
            if (e is PostgresException postgres) return IsOutageState(postgres.SqlState);
            if (e is NpgsqlException { IsTransient: true } or TimeoutException or SocketException or IOException) return true;
        }
        return false;
    }

    private static bool IsOutageState(string sqlState) =>
        sqlState.StartsWith("08", StringComparison.Ordinal)
        || sqlState is PostgresErrorCodes.TooManyConnections or PostgresErrorCodes.AdminShutdown
            or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow;
}
