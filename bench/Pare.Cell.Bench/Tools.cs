using System.Diagnostics;

namespace Pare.Cell.Bench;

/// <summary>The command-line tools the bench drives (pgbench, wrk).</summary>
public static class Tools
{
    /// <summary>Runs a tool to its end; its standard output then its error output, or an exception naming it.</summary>
    public static async Task<string> RunAsync(string file, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{Path.GetFileName(file)} failed: {error}");
        return await output + error;
    }
}
