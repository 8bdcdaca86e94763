using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mining.Silo.Hosting;

namespace Mining.Silo.Clustering;

/// <summary>
/// A whole cluster inside this process: N worker silos on 127.0.0.1 (the first the primary), each built by
/// <see cref="MiningSiloExtensions.AddMiningSilo"/> exactly as a standalone silo is, plus a client connected to their
/// gateways. Disposing stops the client, then the silos (the primary last, since it holds the membership).
/// </summary>
public sealed class EmbeddedCluster : IAsyncDisposable
{
    private readonly List<IHost> silos;
    private readonly ClusterConnection connection;

    private EmbeddedCluster(List<IHost> silos, ClusterConnection connection, string artifactRoot)
    {
        this.silos = silos;
        this.connection = connection;
        ArtifactRoot = artifactRoot;
    }

    /// <summary>The client connected to the silos.</summary>
    public IClusterClient Client => connection.Client;

    /// <summary>Every silo's gateway.</summary>
    public IReadOnlyList<IPEndPoint> Gateways => connection.Gateways;

    /// <summary>The silos' services (for tests and diagnostics), the primary first.</summary>
    public IReadOnlyList<IServiceProvider> SiloServices => silos.Select(s => s.Services).ToArray();

    /// <summary>The artifact folder the silos share, absolute.</summary>
    public string ArtifactRoot { get; }

    /// <summary>Starts the silos one after another, then connects the client; on failure everything started is stopped.</summary>
    public static async Task<EmbeddedCluster> StartAsync(EmbeddedClusterOptions options, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Silos < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"an embedded cluster needs at least one silo, got {options.Silos}");
        }

        var ports = LoopbackPorts.Take(2 * options.Silos);
        var primary = new IPEndPoint(IPAddress.Loopback, ports[0]);
        var silos = new List<IHost>();
        try
        {
            for (var i = 0; i < options.Silos; i++)
            {
                var silo = BuildSilo(options, ports[2 * i], ports[2 * i + 1], i == 0 ? null : primary);
                silos.Add(silo);
                await silo.StartAsync(cancellation);
            }

            var gateways = Enumerable.Range(0, options.Silos).Select(i => new IPEndPoint(IPAddress.Loopback, ports[2 * i + 1])).ToArray();
            var connection = await ClusterConnection.ConnectAsync(gateways, options.ClusterId, ClusterDefaults.ServiceId, options.MinimumLogLevel, cancellation: cancellation);
            return new EmbeddedCluster(silos, connection, Path.GetFullPath(options.ArtifactRoot));
        }
        catch
        {
            await StopAsync(silos);
            throw;
        }
    }

    /// <summary>Stops the client and the silos.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await connection.DisposeAsync();
        }
        finally
        {
            await StopAsync(silos);
        }
    }

    private static IHost BuildSilo(EmbeddedClusterOptions options, int siloPort, int gatewayPort, IPEndPoint? primary)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{SiloHostOptions.Section}:Name"] = $"embedded-{siloPort}",
            [$"{SiloHostOptions.Section}:Role"] = nameof(SiloRole.Worker),
            [$"{SiloHostOptions.Section}:SiloPort"] = Invariant(siloPort),
            [$"{SiloHostOptions.Section}:GatewayPort"] = Invariant(gatewayPort),
            [$"{SiloHostOptions.Section}:PrimarySiloEndpoint"] = primary?.ToString() ?? "",
            [$"{SiloHostOptions.Section}:ClusterId"] = options.ClusterId,
            [$"{SiloHostOptions.Section}:ServiceId"] = ClusterDefaults.ServiceId,
            [$"{ComputeOptions.Section}:Device"] = options.Compute.Device,
            [$"{ComputeOptions.Section}:DType"] = options.Compute.DType,
            [$"{ComputeOptions.Section}:Threads"] = Invariant(options.Compute.Threads),
            [$"{ComputeOptions.Section}:MaxBatchTokens"] = Invariant(options.Compute.MaxBatchTokens),
            [$"{ArtifactOptions.Section}:Root"] = options.ArtifactRoot,
        });
        builder.Services.AddSingleton<IHostLifetime, EmbeddedHostLifetime>();
        builder.Logging.AddStandardErrorConsole(options.MinimumLogLevel);
        builder.AddMiningSilo();
        return builder.Build();
    }

    private static async Task StopAsync(List<IHost> silos)
    {
        // Members first, the primary (membership holder) last; a silo that fails to stop does not keep the others running.
        var failures = new List<Exception>();
        for (var i = silos.Count - 1; i >= 0; i--)
        {
            try
            {
                await silos[i].StopAsync();
            }
            catch (Exception e)
            {
                failures.Add(e);
            }
            finally
            {
                silos[i].Dispose();
            }
        }

        silos.Clear();
        if (failures.Count > 0)
        {
            throw new AggregateException("stopping the embedded silos failed", failures);
        }
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
