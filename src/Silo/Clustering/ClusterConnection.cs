using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mining.Silo.Hosting;
using Orleans.Configuration;
using Orleans.Connections.Security;

namespace Mining.Silo.Clustering;

/// <summary>A client connected to a running cluster through its gateways; disposing it disconnects.</summary>
public sealed class ClusterConnection : IAsyncDisposable
{
    private readonly IHost host;

    private ClusterConnection(IHost host, IReadOnlyList<IPEndPoint> gateways)
    {
        this.host = host;
        Gateways = gateways;
        Client = host.Services.GetRequiredService<IClusterClient>();
    }

    /// <summary>The connected client.</summary>
    public IClusterClient Client { get; }

    /// <summary>The gateways it was given.</summary>
    public IReadOnlyList<IPEndPoint> Gateways { get; }

    /// <summary>Connects to the cluster at <paramref name="gateways"/>; throws <see cref="ClusterUnavailableException"/> when none answers.</summary>
    /// <param name="gateways">Gateway endpoints (silos' <c>GatewayPort</c>).</param>
    /// <param name="clusterId">The silos' <c>Mining:Silo:ClusterId</c>.</param>
    /// <param name="serviceId">The silos' <c>Mining:Silo:ServiceId</c>.</param>
    /// <param name="minimumLogLevel">Client log messages at or above this level go to stderr.</param>
    /// <param name="tls">
    /// TLS for a cluster whose silos set <c>Mining:Tls</c>: <see cref="ClusterCertificates.For"/> the silos, from the
    /// client's certificate and the cluster's CA; null connects without TLS.
    /// </param>
    /// <param name="retryFor">How long to keep retrying a refused first connection (default 10 s).</param>
    /// <param name="cancellation">Stops trying to connect.</param>
    public static async Task<ClusterConnection> ConnectAsync(
        IReadOnlyList<IPEndPoint> gateways,
        string clusterId = ClusterDefaults.ClusterId,
        string serviceId = ClusterDefaults.ServiceId,
        LogLevel minimumLogLevel = LogLevel.Warning,
        TlsOptions? tls = null,
        TimeSpan? retryFor = null,
        CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfZero(gateways.Count, nameof(gateways));
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        builder.Logging.AddStandardErrorConsole(minimumLogLevel);

        // A failed start is rethrown below as one ClusterUnavailableException; the host's own log of it is a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.Critical);
        builder.UseOrleansClient(client =>
        {
            client.UseStaticClustering(gateways.ToArray());
            client.UseConnectionRetryFilter(new BoundedConnectionRetryFilter(retryFor ?? TimeSpan.FromSeconds(10)));
            if (tls is not null)
            {
                client.Configure<ClientConnectionOptions>(connections => connections.ConfigureConnection(connection => connection.UseClientTls(tls)));
            }

            client.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = clusterId;
                options.ServiceId = serviceId;
            });
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellation);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            host.Dispose();
            throw new ClusterUnavailableException(
                $"could not connect to the cluster at {string.Join(", ", gateways)} (cluster id '{clusterId}'): {e.Message}", e);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return new ClusterConnection(host, gateways);
    }

    /// <summary>Disconnects.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await host.StopAsync();
        }
        finally
        {
            host.Dispose();
        }
    }
}
