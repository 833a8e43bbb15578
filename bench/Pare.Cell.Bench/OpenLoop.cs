using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Pare.Cell.Bench;

/// <summary>
/// An open-loop load: operation i starts at its scheduled time, begin + i / rate, whether or not
/// the earlier ones finished, and its latency runs from that time (as pgbench's under --rate).
/// The schedule is kept by a thread of its own sleeping until each start with the kernel's
/// high-resolution clock: .NET timers tick by the millisecond and wake on the thread pool, and a
/// start a millisecond or two late is the generator's delay, not the API's.
/// </summary>
public static class OpenLoop
{
    /// <param name="start">Starts operation i, given its scheduled <see cref="Stopwatch"/> timestamp.</param>
    public static async Task RunAsync(double rate, int count, Func<int, long, Task> start)
    {
        var started = new List<Task>(count);
        await Task.Factory.StartNew(() =>
        {
            var begin = Stopwatch.GetTimestamp();
            for (var i = 0; i < count; i++)
            {
                var due = begin + (long)(i / rate * Stopwatch.Frequency);
                SleepUntil(due);
                started.Add(start(i, due));
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await Task.WhenAll(started);
    }

    private static void SleepUntil(long timestamp)
    {
        if (Stopwatch.GetTimestamp() >= timestamp) return;
        // On Linux a Stopwatch timestamp is CLOCK_MONOTONIC in nanoseconds: sleep to it exactly.
        if (OperatingSystem.IsLinux() && Stopwatch.Frequency == 1_000_000_000)
        {
            var until = new Timespec { Seconds = timestamp / 1_000_000_000, Nanoseconds = timestamp % 1_000_000_000 };
            while (ClockNanosleep(ClockMonotonic, TimerAbsoluteTime, ref until, IntPtr.Zero) == Interrupted) { }
            return;
        }
        while (Stopwatch.GetTimestamp() < timestamp) Thread.Sleep(1);
    }

    private const int ClockMonotonic = 1;
    private const int TimerAbsoluteTime = 1;
    private const int Interrupted = 4; // EINTR

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_nanosleep")]
    private static extern int ClockNanosleep(int clock, int flags, ref Timespec until, IntPtr remaining);
}
