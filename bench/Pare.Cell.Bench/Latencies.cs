using System.Diagnostics;

namespace Pare.Cell.Bench;

/// <summary>Measured durations of one kind of operation, and their percentiles in milliseconds.</summary>
public sealed class Latencies(string name)
{
    private readonly List<double> _ms = [];

    public string Name { get; } = name;
    public int Count => _ms.Count;

    public Task<T> MeasureAsync<T>(Func<Task<T>> operation) => MeasureFromAsync(Stopwatch.GetTimestamp(), operation);

    /// <summary>
    /// From <paramref name="scheduled"/> (a <see cref="Stopwatch"/> timestamp) to completion: in an
    /// open loop, the time an operation waited to start because the generator ran late counts.
    /// </summary>
    public async Task<T> MeasureFromAsync<T>(long scheduled, Func<Task<T>> operation)
    {
        var result = await operation();
        lock (_ms) _ms.Add(Stopwatch.GetElapsedTime(scheduled).TotalMilliseconds);
        return result;
    }

    public void Add(double milliseconds)
    {
        lock (_ms) _ms.Add(milliseconds);
    }

    public double Percentile(double p)
    {
        lock (_ms)
        {
            if (_ms.Count == 0) return double.NaN;
            var sorted = _ms.Order().ToList();
            var rank = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
            return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
        }
    }

    public override string ToString() =>
        $"{Name,-34} n={Count,6}  p50={Percentile(50),7:0.00} ms  p95={Percentile(95),7:0.00} ms  p99={Percentile(99),7:0.00} ms";
}
