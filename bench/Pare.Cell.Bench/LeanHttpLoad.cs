using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Pare.Cell.Bench;

/// <summary>
/// An open-loop HTTP/1.1 load as lean as pgbench's client under <c>--rate</c>: a fixed number of
/// keep-alive connections, each served by a thread of its own that sends a request and waits
/// for the answer in a blocking <c>recv</c>, woken by the kernel when the bytes arrive. Operation
/// i is due at begin + i / rate (<see cref="OpenLoop"/>'s clock); when every connection is busy it
/// waits for one, and its latency still runs from the time it was due, as pgbench counts it.
/// HttpClient, by contrast, hands every completion to the thread pool: on 2 cores shared with the
/// API and PostgreSQL, the generator's own wake-ups were part of the tail it measured.
/// </summary>
public sealed class LeanHttpLoad(IPEndPoint endpoint, int connections)
{
    /// <summary>
    /// Sends <paramref name="count"/> requests at <paramref name="rate"/> per second; the latency of
    /// those from <paramref name="unmeasured"/> on goes to <paramref name="latencies"/>. Returns
    /// how many answers were not a 2xx (a 409 when two requests met on one case); throws when a
    /// connection fails.
    /// </summary>
    public async Task<int> RunAsync(double rate, int count, int unmeasured, Func<int, byte[]> request, Latencies latencies)
    {
        using var due = new BlockingCollection<(int Index, long Due)>();
        var failures = new ConcurrentQueue<Exception>();
        var refused = 0;
        var threads = Enumerable.Range(0, connections).Select(n => new Thread(() =>
        {
            try
            {
                using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                socket.Connect(endpoint);
                var buffer = new byte[64 * 1024];
                foreach (var (index, scheduled) in due.GetConsumingEnumerable())
                {
                    socket.Send(request(index));
                    var status = ReadResponse(socket, buffer);
                    if (index >= unmeasured) latencies.Add(Stopwatch.GetElapsedTime(scheduled).TotalMilliseconds);
                    if (status is < 200 or > 299) Interlocked.Increment(ref refused);
                }
            }
            catch (Exception e)
            {
                failures.Enqueue(e);
            }
        }) { IsBackground = true, Name = $"lean http {n}" }).ToList();
        threads.ForEach(t => t.Start());
        await OpenLoop.RunAsync(rate, count, (i, scheduled) =>
        {
            due.Add((i, scheduled));
            return Task.CompletedTask;
        });
        due.CompleteAdding();
        await Task.Run(() => threads.ForEach(t => t.Join()));
        return failures.IsEmpty ? refused : throw new AggregateException(failures);
    }

    /// <summary>A POST with a JSON body, as bytes ready to send.</summary>
    public static byte[] Post(string path, string token, string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var head = Encoding.ASCII.GetBytes(
            $"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n");
        return [.. head, .. body];
    }

    /// <summary>Reads one whole response (Content-Length or chunked body) and returns its status code.</summary>
    private static int ReadResponse(Socket socket, byte[] buffer)
    {
        var length = 0;
        int headerEnd;
        while ((headerEnd = IndexOf(buffer, length, "\r\n\r\n"u8)) < 0) length += Receive(socket, buffer, length);
        var head = Encoding.ASCII.GetString(buffer, 0, headerEnd);
        var status = int.Parse(head.AsSpan(9, 3));
        var bodyStart = headerEnd + 4;
        var contentLength = head.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        if (contentLength is not null)
        {
            var end = bodyStart + int.Parse(contentLength.AsSpan("Content-Length:".Length).Trim());
            while (length < end) length += Receive(socket, buffer, length);
            return status;
        }
        // Chunked: the body ends with a zero-length chunk and an empty line.
        while (IndexOf(buffer.AsSpan(bodyStart), length - bodyStart, "0\r\n\r\n"u8) < 0) length += Receive(socket, buffer, length);
        return status;
    }

    private static int Receive(Socket socket, byte[] buffer, int offset)
    {
        if (offset == buffer.Length) throw new InvalidOperationException($"A response longer than {buffer.Length} bytes: this client reads small answers only.");
        var read = socket.Receive(buffer, offset, buffer.Length - offset, SocketFlags.None);
        return read > 0 ? read : throw new IOException("The API closed the connection.");
    }

    private static int IndexOf(ReadOnlySpan<byte> buffer, int length, ReadOnlySpan<byte> value) => buffer[..length].IndexOf(value);
}
