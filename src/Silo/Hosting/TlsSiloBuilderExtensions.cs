using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Mining.Silo.Clustering;
using Orleans.Configuration;

namespace Mining.Silo.Hosting;

/// <summary>Adds TLS with the <c>Mining:Tls</c> certificates to a silo's Orleans connections.</summary>
public static class TlsSiloBuilderExtensions
{
    /// <summary>
    /// When <c>Mining:Tls:CertificatePath</c> is set, every connection of the silo port (in and out) and of the client
    /// port is TLS, and the remote side must present a certificate of the cluster's CA (<see cref="ClusterCertificates"/>):
    /// a silo's on the silo port, a silo's or a client's on the client port. Orleans reads these options when it opens
    /// its ports, which is after <see cref="ClusterTlsOptionsValidator"/> has checked the files.
    /// </summary>
    public static ISiloBuilder AddMiningTls(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Services.AddOptions<SiloConnectionOptions>().Configure<IOptions<ClusterTlsOptions>>((connections, settings) =>
        {
            if (!settings.Value.Enabled)
            {
                return;
            }

            var certificates = ClusterCertificates.Load(ClusterTlsOptionsValidator.FilesOf(settings.Value), ClusterParty.Silo);
            var silos = certificates.For(ClusterParty.Silo);
            var clients = certificates.For(ClusterParty.Client);
            connections.ConfigureSiloInboundConnection(connection => connection.UseServerTls(silos));
            connections.ConfigureSiloOutboundConnection(connection => connection.UseClientTls(silos));
            connections.ConfigureGatewayInboundConnection(connection => connection.UseServerTls(clients));
        });
        return silo;
    }
}
