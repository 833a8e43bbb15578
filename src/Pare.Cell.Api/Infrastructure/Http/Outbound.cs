using System.Net;
using System.Net.Sockets;
using Pare.Cell.Api.Alerts;

namespace Pare.Cell.Api.Infrastructure.Http;

/// <summary>
/// Where the API may send a request of its own (partner webhooks, the prosecutor's webhook): to a
/// public address, over https outside Development and Testing, unless <c>Outbound:AllowedHosts</c>
/// names the host (a name, an address or a network such as <c>10.1.0.0/16</c>; the tests allow
/// their loopback receivers so). A URL is checked when it is saved (a literal address or a local
/// name), and the address it resolves to is checked again when the request leaves, on the address
/// actually connected to (<see cref="OutboundHttp"/>): a name that resolved to a public address
/// when saved cannot be turned toward the metadata service, the database or the cell's intranet later.
/// </summary>
public sealed class OutboundPolicy(bool allowHttp, IEnumerable<string> allowedHosts)
{
    private readonly HashSet<string> _names = allowedHosts.Where(h => !IPNetwork.TryParse(Network(h), out _)).Select(h => h.Trim().ToLowerInvariant()).ToHashSet();
    private readonly IPNetwork[] _networks = [.. allowedHosts.Select(Network).Where(h => IPNetwork.TryParse(h, out _)).Select(IPNetwork.Parse)];

    public static OutboundPolicy From(IConfiguration configuration, IHostEnvironment environment) => new(
        environment.IsDevelopment() || environment.IsEnvironment("Testing"),
        configuration.GetSection("Outbound:AllowedHosts").Get<string[]>() ?? []);

    /// <summary>Plain http is for Development and Testing only.</summary>
    public bool AllowHttp { get; } = allowHttp;

    /// <summary>Whether a URL may be saved: absolute, https (or http where allowed), no credentials, and not a local or forbidden host.</summary>
    public bool Accepts(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.UserInfo.Length > 0 || uri.Host.Length == 0) return false;
        if (uri.Scheme != Uri.UriSchemeHttps && !(AllowHttp && uri.Scheme == Uri.UriSchemeHttp)) return false;
        var host = uri.IdnHost.TrimEnd('.').ToLowerInvariant();
        if (IsAllowListed(host, null)) return true;
        return IPAddress.TryParse(uri.HostNameType == UriHostNameType.IPv6 ? host.Trim('[', ']') : host, out var address)
            ? Allows(host, address)
            : !IsLocalName(host);
    }

    /// <summary>Whether a request to <paramref name="host"/> may connect to <paramref name="address"/>.</summary>
    public bool Allows(string host, IPAddress address) => IsAllowListed(host.ToLowerInvariant(), address) || !IsForbidden(address);

    private bool IsAllowListed(string host, IPAddress? address) =>
        _names.Contains(host) || (address is not null && _networks.Any(n => n.Contains(Unmapped(address))));

    /// <summary>
    /// Private, loopback, link-local (the cloud metadata services' 169.254.169.254 among them),
    /// multicast, unspecified, shared (CGNAT, Alibaba's metadata 100.100.100.200), reserved and
    /// documentation ranges, IPv4 and IPv6 (unique-local fc00::/7 holds AWS's fd00:ec2::254); an
    /// IPv4 address mapped into IPv6, or embedded by NAT64 or 6to4, is judged as the IPv4 address.
    /// </summary>
    public static bool IsForbidden(IPAddress address)
    {
        address = Unmapped(address);
        if (address.AddressFamily == AddressFamily.InterNetwork) return ForbiddenV4.Any(n => n.Contains(address));
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return true;
        var bytes = address.GetAddressBytes();
        if (Nat64.Contains(address)) return IsForbidden(new IPAddress(bytes[12..16]));
        if (SixToFour.Contains(address)) return IsForbidden(new IPAddress(bytes[2..6]));
        return ForbiddenV6.Any(n => n.Contains(address));
    }

    /// <summary>Names that only mean something inside a network, and the cloud metadata services' names.</summary>
    public static bool IsLocalName(string host) =>
        !host.Contains('.', StringComparison.Ordinal) || MetadataNames.Contains(host) ||
        LocalSuffixes.Any(suffix => host.EndsWith(suffix, StringComparison.Ordinal));

    private static IPAddress Unmapped(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static string Network(string entry) =>
        entry.Contains('/', StringComparison.Ordinal) ? entry.Trim() : IPAddress.TryParse(entry.Trim().Trim('[', ']'), out var a) ? $"{a}/{(a.AddressFamily == AddressFamily.InterNetwork ? 32 : 128)}" : entry;

    private static readonly IPNetwork[] ForbiddenV4 =
    [
        .. new[]
        {
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24",
            "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
        }.Select(IPNetwork.Parse),
    ];

    private static readonly IPNetwork[] ForbiddenV6 =
    [
        .. new[]
        {
            "::/96", "::1/128", "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32", "3fff::/20", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8",
        }.Select(IPNetwork.Parse),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");

    private static readonly HashSet<string> MetadataNames =
        ["metadata.google.internal", "metadata.goog", "metadata", "instance-data", "instance-data.ec2.internal", "metadata.azure.com", "metadata.tencentyun.com"];

    private static readonly string[] LocalSuffixes = [".localhost", ".local", ".internal", ".intranet", ".lan", ".home.arpa", ".localdomain", ".corp"];
}

/// <summary>Resolves a host name to its addresses: DNS, or a test's own table.</summary>
public interface IHostResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}

public sealed class DnsHostResolver : IHostResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) => Dns.GetHostAddressesAsync(host, cancellationToken);
}

/// <summary>A request the outbound policy stopped before it connected.</summary>
public sealed class OutboundRefusedException(string reason) : Exception(reason);

/// <summary>
/// The HTTP stack of every request the API makes to a configured URL. The host is resolved when
/// the request leaves, every address it resolves to is checked against the <see cref="OutboundPolicy"/>
/// (one forbidden answer refuses the name: DNS rebinding alternates answers), the socket connects
/// only to those checked addresses and its remote address is checked once more. No proxy (which
/// would connect elsewhere), no redirect followed (a 3xx is a failed delivery, never a re-post of the
/// signed payload), no cookies.
/// </summary>
public static class OutboundHttp
{
    public static SocketsHttpHandler CreateHandler(OutboundPolicy policy, IHostResolver resolver) => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectCallback = async (context, cancellationToken) =>
        {
            var host = context.DnsEndPoint.Host.TrimEnd('.');
            var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await resolver.ResolveAsync(host, cancellationToken);
            if (addresses.Length == 0 || addresses.Any(a => !policy.Allows(host, a))) throw new OutboundRefusedException("address not allowed");
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken);
                if (socket.RemoteEndPoint is not IPEndPoint connected || !policy.Allows(host, connected.Address))
                    throw new OutboundRefusedException("address not allowed");
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}

/// <summary>
/// What a failed outbound request says in a delivery log, and nothing more: <c>refused</c> (the
/// policy stopped it), <c>connection failed</c> (name not found, connection refused or reset, TLS:
/// one cause, so the log does not map the networks behind a URL), <c>endpoint answered 4xx</c> (the
/// class of the status only), or a timeout (left to the caller, as any cancellation).
/// </summary>
public sealed class OutboundFailures(OutboundPolicy policy) : DelegatingHandler
{
    public const string Refused = "refused";
    public const string ConnectionFailed = "connection failed";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri?.Scheme != Uri.UriSchemeHttps && !policy.AllowHttp) throw new DeliveryException($"{Refused}: https required");
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e) when (e.InnerException is OutboundRefusedException)
        {
            throw new DeliveryException($"{Refused}: address not allowed");
        }
        catch (HttpRequestException)
        {
            throw new DeliveryException(ConnectionFailed);
        }
        if (response.IsSuccessStatusCode) return response;
        var statusClass = (int)response.StatusCode / 100;
        response.Dispose();
        throw new DeliveryException($"endpoint answered {statusClass}xx");
    }
}
