using System.Net;
using System.Net.Sockets;

namespace Mining.Silo.Clustering;

/// <summary>Finds free TCP ports on 127.0.0.1 for in-process silos.</summary>
internal static class LoopbackPorts
{
    /// <summary>
    /// <paramref name="count"/> distinct ports the system reports free. All listeners stay open until every port is
    /// chosen so that no port is handed out twice; another process may still take one before the silo binds it.
    /// </summary>
    public static int[] Take(int count)
    {
        var listeners = new List<TcpListener>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }

            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }
}
