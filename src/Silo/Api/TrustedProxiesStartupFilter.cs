using System.Diagnostics.CodeAnalysis;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Mining.Silo.Api;

/// <summary>
/// Puts ASP.NET Core's forwarded headers middleware first in the gateway's pipeline when
/// <see cref="MiningApiOptions.TrustedProxies"/> names proxies: a request from one of them takes its scheme and client
/// address from <c>X-Forwarded-Proto</c> and <c>X-Forwarded-For</c>, so one that reached the proxy over https is https
/// here (and its sign-in cookie <c>Secure</c>). Requests from anywhere else keep what the connection says.
/// </summary>
/// <remarks>
/// A startup filter rather than a <c>UseForwardedHeaders</c> call next to the endpoints: a web application runs the
/// routing and authentication it adds by itself before any middleware the host adds, and everything must see the
/// forwarded scheme. The middleware's own defaults trust loopback; they are cleared, so only the setting counts.
/// </remarks>
internal sealed class TrustedProxiesStartupFilter(IOptions<MiningApiOptions> options) : IStartupFilter
{
    /// <inheritdoc />
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        var proxies = options.Value.TrustedProxies;
        if (proxies.Count > 0)
        {
            var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
            {
                // Reading options.Value ran MiningApiOptionsValidator, which refuses an entry that does not parse.
                _ = TryParse(proxy, out var address, out var network);
                if (address is not null)
                {
                    forwarded.KnownProxies.Add(address);
                }
                else
                {
                    forwarded.KnownIPNetworks.Add(network!.Value);
                }
            }

            app.UseForwardedHeaders(forwarded);
        }

        next(app);
    };

    /// <summary>Reads one <see cref="MiningApiOptions.TrustedProxies"/> entry: an address, or a network in CIDR form.</summary>
    internal static bool TryParse([NotNullWhen(true)] string? value, out IPAddress? address, out System.Net.IPNetwork? network)
    {
        address = null;
        network = null;
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        if (value.Contains('/', StringComparison.Ordinal))
        {
            // "10.0.0.1/8" would be read as 10.0.0.0/8; whoever wrote it may have meant the one proxy, so it is refused.
            if (!System.Net.IPNetwork.TryParse(value, out var parsed)
                || !IPAddress.TryParse(value.AsSpan(0, value.IndexOf('/', StringComparison.Ordinal)), out var written)
                || !written.Equals(parsed.BaseAddress))
            {
                return false;
            }

            network = parsed;
            return true;
        }

        // IPAddress alone would also take "10" or "10.1" for an address; a proxy is named in full.
        if (!IPAddress.TryParse(value, out address) || !(value.Count(c => c == '.') == 3 || value.Contains(':', StringComparison.Ordinal)))
        {
            address = null;
            return false;
        }

        return true;
    }
}
