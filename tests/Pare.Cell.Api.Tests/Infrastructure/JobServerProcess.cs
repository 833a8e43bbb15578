using System.Diagnostics;

namespace Pare.Cell.Api.Tests.Infrastructure;

/// <summary>
/// The same program as a separate OS process, by default in the job-server role (Hangfire workers
/// and the alert dispatcher), on the test's database, sending to the test's SMTP server. Tests kill
/// it with SIGKILL (no shutdown hook runs) and start it again. <paramref name="roles"/> and
/// <paramref name="settings"/> run it otherwise (the API role, a test-only fault injection); its
/// signing key is kept across restarts, so tokens and derived keys stay valid. It connects as the
/// application role, whatever connection string it is given, as a deployed server does.
/// </summary>
public sealed class JobServerProcess(string connectionString, int smtpPort, string roles = "jobs",
    IReadOnlyDictionary<string, string>? settings = null) : IAsyncDisposable
{
    private Process? _process;
    private int _port;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    public int Starts { get; private set; }

    public string SigningKey { get; } = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48));

    /// <summary>Where the running process listens.</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{_port}");

    /// <summary>Whether the process has died (killed, or killed itself).</summary>
    public bool HasExited => _process is null || _process.HasExited;

    /// <summary>A client of the running process with a token of its signing key.</summary>
    public HttpClient As(string userId, string cell, params string[] roles)
    {
        var auth = new Api.Infrastructure.Auth.AuthSettings("pare-cell", "pare-cell-api",
            new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(SigningKey)), null);
        var token = new Api.Infrastructure.Auth.TokenIssuer(auth, TimeProvider.System).Issue(userId, cell, roles);
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(100) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async Task StartAsync()
    {
        _port = PostgresServer.FreePort(); // a fresh port each start: the killed process's socket may linger
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Pare.Cell.Api.dll"), "--urls", $"http://127.0.0.1:{_port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ConnectionStrings__Pare"] = PostgresServer.AsApplication(connectionString);
        start.Environment["Auth__SigningKey"] = SigningKey;
        start.Environment["Hosting__Roles"] = roles;
        start.Environment["Database__ApplySchemaOnStartup"] = "false";
        start.Environment["Alerts__SmtpHost"] = "127.0.0.1";
        start.Environment["Alerts__SmtpPort"] = smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Alerts__PollInterval"] = "00:00:00.200";
        start.Environment["RateLimits__PerCallerPerMinute"] = "0";
        foreach (var (name, value) in settings ?? new Dictionary<string, string>()) start.Environment[name.Replace(":", "__", StringComparison.Ordinal)] = value;
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Starts++;

        using var probe = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_port}"), Timeout = TimeSpan.FromSeconds(2) };
        // Ready means its Hangfire server and dispatcher beat: seconds on an idle machine, a minute or more on one shared by parallel builds.
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((await probe.GetAsync("/health/ready")).IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            if (_process.HasExited)
                throw new InvalidOperationException($"The job server exited at startup ({_process.ExitCode}):\n{string.Join('\n', _output.TakeLast(30))}");
            await Task.Delay(100);
        }
        throw new TimeoutException($"The job server did not become ready:\n{string.Join('\n', _output.TakeLast(40))}");
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        _output.Enqueue(line);
        while (_output.Count > 200) _output.TryDequeue(out _);
    }

    /// <summary>SIGKILL: the process dies at once, wherever it is.</summary>
    public async Task KillAsync()
    {
        if (_process is null || _process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync() => await KillAsync();
}
