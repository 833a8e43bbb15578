using System.Diagnostics;

namespace Pare.Cell.Api.Tests.Infrastructure;

/// <summary>
/// The same program as a separate OS process in the job-server role (Hangfire workers and the
/// alert dispatcher), on the test's database, sending to the test's SMTP server. Tests kill it
/// with SIGKILL (no shutdown hook runs) and start it again. It connects as the application role,
/// whatever connection string it is given, as a deployed job server does.
/// </summary>
public sealed class JobServerProcess(string connectionString, int smtpPort) : IAsyncDisposable
{
    private Process? _process;
    private int _port;
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    public int Starts { get; private set; }

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
        start.Environment["Auth__SigningKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48));
        start.Environment["Hosting__Roles"] = "jobs";
        start.Environment["Database__ApplySchemaOnStartup"] = "false";
        start.Environment["Alerts__SmtpHost"] = "127.0.0.1";
        start.Environment["Alerts__SmtpPort"] = smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["Alerts__PollInterval"] = "00:00:00.200";
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Starts++;

        using var probe = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_port}"), Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 900; i++) // ready means its Hangfire server and dispatcher beat: slower under load
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
        throw new TimeoutException("The job server did not become ready.");
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
