using System.Net;
using System.Net.Sockets;

namespace Mining.Silo.Tests.Api;

/// <summary>A TCP port on 127.0.0.1 that was free a moment ago (for the silo's own endpoints, which cannot take port 0).</summary>
internal static class LoopbackPort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
