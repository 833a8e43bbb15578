using System.Net;
using System.Net.Sockets;

namespace Pare.Cell.Api.Tests.Foundation;

/// <summary>
/// A loopback TCP proxy to PostgreSQL that a test can cut and restore, to see how the API
/// behaves while its database is unreachable, without disturbing the other tests' server.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly int _targetPort;
    private readonly TcpListener _listener;
    private readonly List<TcpClient> _connections = [];
    private readonly CancellationTokenSource _stop = new();
    private volatile bool _open = true;
    private volatile string? _refusal;

    public TcpProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Drops every open connection and refuses new ones, like a database that went away.</summary>
    public void Cut()
    {
        _open = false;
        lock (_connections)
        {
            foreach (var c in _connections) c.Dispose();
            _connections.Clear();
        }
    }

    public void Restore()
    {
        _refusal = null;
        _open = true;
    }

    /// <summary>
    /// Drops every open connection and answers each new one as PostgreSQL does while it starts up or
    /// shuts down: a FATAL error with this SQLSTATE (57P03 "the database system is starting up"…).
    /// </summary>
    public void AnswerWith(string sqlState, string message)
    {
        Cut();
        _refusal = $"{sqlState}\n{message}";
        _open = true;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            if (!_open) { client.Dispose(); continue; }
            if (_refusal is { } refusal) { _ = RefuseAsync(client, refusal); continue; }
            _ = PipeAsync(client);
        }
    }

    private async Task PipeAsync(TcpClient client)
    {
        using var server = new TcpClient();
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, _targetPort);
            lock (_connections) { _connections.Add(client); _connections.Add(server); }
            var a = client.GetStream().CopyToAsync(server.GetStream(), _stop.Token);
            var b = server.GetStream().CopyToAsync(client.GetStream(), _stop.Token);
            await Task.WhenAny(a, b);
        }
        catch (Exception) { /* a cut connection ends here */ }
        finally { client.Dispose(); }
    }

    /// <summary>Declines SSL and GSS encryption requests, reads the startup message, answers an ErrorResponse, closes.</summary>
    private static async Task RefuseAsync(TcpClient client, string refusal)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                while (true)
                {
                    var header = new byte[8];
                    await stream.ReadExactlyAsync(header);
                    var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header);
                    var code = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));
                    if (code is 80877103 or 80877104) { await stream.WriteAsync("N"u8.ToArray()); continue; } // SSLRequest, GSSENCRequest
                    await stream.ReadExactlyAsync(new byte[length - 8]);
                    break;
                }
                var parts = refusal.Split('\n');
                var fields = new MemoryStream();
                foreach (var (type, value) in new[] { ('S', "FATAL"), ('V', "FATAL"), ('C', parts[0]), ('M', parts[1]) })
                {
                    fields.WriteByte((byte)type);
                    fields.Write(System.Text.Encoding.UTF8.GetBytes(value));
                    fields.WriteByte(0);
                }
                fields.WriteByte(0);
                var message = new byte[5 + fields.Length];
                message[0] = (byte)'E';
                System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(1), (int)fields.Length + 4);
                fields.ToArray().CopyTo(message, 5);
                await stream.WriteAsync(message);
            }
            catch (Exception) { /* the client gave up first */ }
        }
    }

    public ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        Cut();
        return ValueTask.CompletedTask;
    }
}
