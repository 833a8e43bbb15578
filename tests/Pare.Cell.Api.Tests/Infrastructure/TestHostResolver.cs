using System.Collections.Concurrent;
using System.Net;
using Pare.Cell.Api.Infrastructure.Http;

namespace Pare.Cell.Api.Tests.Infrastructure;

/// <summary>DNS, except the names a test maps: what a partner's DNS could answer, rebinding included.</summary>
public sealed class TestHostResolver : IHostResolver
{
    private readonly ConcurrentDictionary<string, IPAddress[]> _names = new(StringComparer.OrdinalIgnoreCase);

    public void Map(string host, params string[] addresses) => _names[host] = [.. addresses.Select(IPAddress.Parse)];

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        _names.TryGetValue(host, out var addresses) ? Task.FromResult(addresses) : Dns.GetHostAddressesAsync(host, cancellationToken);
}
