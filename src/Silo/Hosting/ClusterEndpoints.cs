using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Mining.Silo.Hosting;

/// <summary>Parses <c>HOST:PORT</c> endpoints (a host name or an IP address; IPv6 in brackets) as silos and clients are given them.</summary>
public static class ClusterEndpoints
{
    /// <summary>Parses one <c>HOST:PORT</c>; <paramref name="setting"/> names where it came from in the error.</summary>
    public static IPEndPoint Parse(string text, string setting)
    {
        var trimmed = text.Trim();
        var colon = trimmed.LastIndexOf(':');
        if (colon <= 0 || colon == trimmed.Length - 1)
        {
            throw new FormatException($"{setting}: '{text}' is not HOST:PORT");
        }

        var host = trimmed[..colon].Trim('[', ']');
        if (!int.TryParse(trimmed[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > IPEndPoint.MaxPort)
        {
            throw new FormatException($"{setting}: '{text}' has no port between 1 and {IPEndPoint.MaxPort}");
        }

        if (IPAddress.TryParse(host, out var address))
        {
            return new IPEndPoint(address, port);
        }

        IPAddress[] addresses;
        try
        {
            addresses = Dns.GetHostAddresses(host);
        }
        catch (SocketException e)
        {
            throw new FormatException($"{setting}: host '{host}' does not resolve ({e.Message})", e);
        }

        // Localhost clustering advertises 127.0.0.1, so prefer IPv4 when a name resolves to both families.
        var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
            ?? throw new FormatException($"{setting}: host '{host}' resolves to no address");
        return new IPEndPoint(chosen, port);
    }

    /// <summary>Parses a comma-separated list of <c>HOST:PORT</c>; at least one.</summary>
    public static IReadOnlyList<IPEndPoint> ParseList(string text, string setting)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
        {
            throw new FormatException($"{setting}: no HOST:PORT given");
        }

        return parts.Select(p => Parse(p, setting)).ToArray();
    }
}
