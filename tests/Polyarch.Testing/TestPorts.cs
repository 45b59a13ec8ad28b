using System.Net;
using System.Net.Sockets;

namespace Polyarch.Testing;

/// <summary>Loopback ports for tests.</summary>
public static class TestPorts
{
    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it; nothing listens on it afterwards).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
