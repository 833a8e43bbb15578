using System.Diagnostics;
using System.Net.Sockets;

namespace Pare.Cell.Api.Infrastructure.Database;

/// <summary>
/// A PostgreSQL cluster run from the machine's server binaries, for development and tests when
/// no connection string is configured. initdb refuses to run as root, so as root the binaries
/// run as the <c>postgres</c> user through <c>runuser</c>, on folders that user owns.
/// </summary>
public sealed class LocalPostgresCluster
{
    private readonly string _dataDirectory;
    private readonly string _socketDirectory;
    private readonly string _binDirectory;
    private readonly bool _throwaway;
    private readonly IReadOnlyList<string> _serverSettings;

    /// <param name="serverSettings">Extra <c>name=value</c> server settings (the bench's statement profile).</param>
    public LocalPostgresCluster(string rootDirectory, int port, bool throwaway, IReadOnlyList<string>? serverSettings = null)
    {
        RootDirectory = Path.GetFullPath(rootDirectory);
        _dataDirectory = Path.Combine(RootDirectory, "data");
        _socketDirectory = Path.Combine(RootDirectory, "socket");
        _binDirectory = FindBinDirectory();
        _throwaway = throwaway;
        _serverSettings = serverSettings ?? [];
        Port = port;
    }

    public string RootDirectory { get; }
    public int Port { get; }

    public string ConnectionString(string database = "postgres") =>
        $"Host=127.0.0.1;Port={Port};Database={database};Username=postgres;Timeout=5";

    /// <summary>
    /// The port this folder's cluster uses: the one it used before (kept in <c>port</c> beside the
    /// data), else the preferred one if free, else any free port — so another PostgreSQL already
    /// on the preferred port (a system one, another clone's) never stops the run command.
    /// </summary>
    public static int ChoosePort(string rootDirectory, int preferred)
    {
        var file = Path.Combine(rootDirectory, "port");
        if (File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), out var remembered)) return remembered;
        var port = IsFree(preferred) ? preferred : FreePort();
        Directory.CreateDirectory(rootDirectory);
        File.WriteAllText(file, port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return port;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Creates the cluster if needed and starts it if it is not running. Idempotent.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(RootDirectory);
        Directory.CreateDirectory(_socketDirectory);
        if (!File.Exists(Path.Combine(_dataDirectory, "PG_VERSION")))
        {
            Directory.CreateDirectory(_dataDirectory);
            GiveToPostgresUser(RootDirectory);
            await RunAsync("initdb", ["-D", _dataDirectory, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-locale"], cancellationToken);
        }
        GiveToPostgresUser(RootDirectory);
        if (await IsAcceptingConnectionsAsync(cancellationToken)) return;

        var options = $"-c listen_addresses=127.0.0.1 -p {Port} -k {_socketDirectory} -c max_connections=200";
        foreach (var setting in _serverSettings) options += $" -c {setting}";
        if (_throwaway) options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        await RunAsync("pg_ctl", ["-D", _dataDirectory, "-o", options, "-l", Path.Combine(RootDirectory, "postgres.log"), "-w", "-t", "60", "start"], cancellationToken);
    }

    public async Task StopAsync()
    {
        if (File.Exists(Path.Combine(_dataDirectory, "postmaster.pid")))
            await RunAsync("pg_ctl", ["-D", _dataDirectory, "-m", "immediate", "-w", "stop"], CancellationToken.None);
    }

    public async Task<bool> IsAcceptingConnectionsAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", Port, cancellationToken);
            return File.Exists(Path.Combine(_dataDirectory, "postmaster.pid"));
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private async Task RunAsync(string tool, string[] arguments, CancellationToken cancellationToken)
    {
        var executable = Path.Combine(_binDirectory, tool);
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Environment.IsPrivilegedProcess)
        {
            start.FileName = "runuser";
            foreach (var a in (string[])["-u", "postgres", "--", executable]) start.ArgumentList.Add(a);
        }
        else
        {
            start.FileName = executable;
        }
        foreach (var argument in arguments) start.ArgumentList.Add(argument);

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {tool}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{tool} failed ({process.ExitCode}): {await error}{await output}");
    }

    private static void GiveToPostgresUser(string directory)
    {
        if (!Environment.IsPrivilegedProcess || OperatingSystem.IsWindows()) return;
        using var chown = Process.Start("chown", ["-R", "postgres:postgres", directory]);
        chown.WaitForExit();
        // The postgres user must be able to reach the folder through every parent.
        for (var parent = Directory.GetParent(directory); parent is not null; parent = parent.Parent)
        {
            var mode = File.GetUnixFileMode(parent.FullName);
            if (!mode.HasFlag(UnixFileMode.OtherExecute))
                File.SetUnixFileMode(parent.FullName, mode | UnixFileMode.OtherExecute);
        }
    }

    private static string FindBinDirectory() =>
        TryFindBinDirectory() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries were not found. Install them (apt-get install -y postgresql) or set ConnectionStrings:Pare.");

    private static string? TryFindBinDirectory()
    {
        var configured = Environment.GetEnvironmentVariable("PARE_PG_BIN");
        if (!string.IsNullOrEmpty(configured) && File.Exists(Path.Combine(configured, "initdb"))) return configured;
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root)) return null;
        return Directory.GetDirectories(root)
            .Select(d => Path.Combine(d, "bin"))
            .Where(d => File.Exists(Path.Combine(d, "initdb")))
            .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
            .FirstOrDefault();
    }
}
