using System.Net;
using System.Net.Sockets;

namespace DarwinGrid.Web.Tests.Support;

/// <summary>
/// The web app with the production sign-in throttle (5 failures per name and address, short delays so
/// tests stay fast) and 127.0.0.1 configured as the only trusted reverse proxy. Clients can connect
/// from other loopback addresses (127.0.0.2, ...) to be clients that are not the proxy.
/// </summary>
public sealed class GuardedWebAppFixture : WebAppFixture
{
    public const string Proxy = "127.0.0.1";

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => new Dictionary<string, string?>
    {
        ["DarwinGrid:Web:LoginFailureLimit"] = "5",
        ["DarwinGrid:Web:LoginAddressFailureLimit"] = "20",
        ["DarwinGrid:Web:LoginDelayStep"] = "00:00:00.020",
        ["DarwinGrid:Web:LoginDelayMax"] = "00:00:00.100",
        ["DarwinGrid:Web:KnownProxies:0"] = Proxy,
    };

    /// <summary>A client whose connections come from <paramref name="source"/> (a loopback address), with extra headers.</summary>
    public HttpClient ClientFrom(string source, params (string Name, string Value)[] headers)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(source), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        var client = new HttpClient(handler) { BaseAddress = BaseAddress };
        foreach (var (name, value) in headers)
            client.DefaultRequestHeaders.TryAddWithoutValidation(name, value);
        return client;
    }
}

[CollectionDefinition(Name)]
public sealed class GuardedWebAppCollection : ICollectionFixture<GuardedWebAppFixture>
{
    public const string Name = "guarded web app";
}
