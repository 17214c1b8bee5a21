using System.Net;
using System.Net.Sockets;

namespace DarwinGrid.TestSupport.Servers;

public static class FreePort
{
    /// <summary>A loopback port nobody listens on right now (the OS picks it; a race with another process is unlikely).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Whether something accepts connections on the loopback port.</summary>
    public static bool IsListening(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            return socket.ConnectAsync(IPAddress.Loopback, port).Wait(TimeSpan.FromMilliseconds(300));
        }
        catch (AggregateException)
        {
            return false;
        }
    }
}
