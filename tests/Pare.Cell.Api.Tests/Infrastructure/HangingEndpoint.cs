using System.Net;
using System.Net.Sockets;

namespace Pare.Cell.Api.Tests.Infrastructure;

/// <summary>
/// Accepts every connection on loopback and never answers, as a partner's stuck server does
/// (shared with the bench's noisy-neighbour scenario, which links this file).
/// </summary>
public sealed class HangingEndpoint : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<TcpClient> _held = [];
    private readonly CancellationTokenSource _stop = new();

    public HangingEndpoint()
    {
        _listener.Start();
        Url = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/hook";
        _ = AcceptAsync();
    }

    public string Url { get; }

    public int Connections
    {
        get { lock (_held) return _held.Count; }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                lock (_held) _held.Add(client);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_held) foreach (var client in _held) client.Dispose();
    }
}
