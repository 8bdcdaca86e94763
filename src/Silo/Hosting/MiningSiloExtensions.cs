using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Mining.Grains.Hosting;
using Orleans.Configuration;

namespace Mining.Silo.Hosting;

/// <summary>Adds a Mining silo to a host: settings, clustering, grain storage and the grains.</summary>
public static class MiningSiloExtensions
{
    /// <summary>
    /// Adds a silo configured from the <c>Mining:Silo</c>, <c>Mining:Compute</c> and <c>Mining:Artifacts</c> sections
    /// (validated when the host starts): development clustering with the primary silo holding membership in memory,
    /// in-memory grain storage and the local artifact folder — the embedded profile of ARCHITECTURE §2 — and the
    /// mining grains with this silo's role, device and artifact root.
    /// </summary>
    public static IHostApplicationBuilder AddMiningSilo(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<SiloHostOptions, SiloHostOptionsValidator>(SiloHostOptions.Section);
        builder.Services.AddValidatedOptions<ComputeOptions, ComputeOptionsValidator>(ComputeOptions.Section);
        builder.Services.AddValidatedOptions<ArtifactOptions, ArtifactOptionsValidator>(ArtifactOptions.Section);
        builder.UseOrleans(silo =>
        {
            // Orleans' options are filled from ours when first read, which is after ours were validated at start.
            silo.Services.AddOptions<EndpointOptions>().Configure<IOptions<SiloHostOptions>>((endpoints, mining) =>
            {
                var options = mining.Value;
                endpoints.AdvertisedIPAddress = IPAddress.Parse(options.AdvertisedAddress);
                endpoints.SiloPort = options.SiloPort;
                endpoints.GatewayPort = options.GatewayPort;
                if (!IPAddress.IsLoopback(endpoints.AdvertisedIPAddress))
                {
                    endpoints.SiloListeningEndpoint = new IPEndPoint(IPAddress.Any, options.SiloPort);
                    endpoints.GatewayListeningEndpoint = options.GatewayPort == 0 ? null : new IPEndPoint(IPAddress.Any, options.GatewayPort);
                }
            });
            silo.Services.AddOptions<ClusterOptions>().Configure<IOptions<SiloHostOptions>>((cluster, mining) =>
            {
                cluster.ClusterId = mining.Value.ClusterId;
                cluster.ServiceId = mining.Value.ServiceId;
            });
            silo.Services.AddOptions<SiloOptions>().Configure<IOptions<SiloHostOptions>>((orleans, mining) => orleans.SiloName = mining.Value.SiloName);
            silo.UseDevelopmentClustering(membership => membership.Configure<IOptions<SiloHostOptions>>((options, mining) =>
                options.PrimarySiloEndpoint = string.IsNullOrWhiteSpace(mining.Value.PrimarySiloEndpoint)
                    ? new IPEndPoint(IPAddress.Parse(mining.Value.AdvertisedAddress), mining.Value.SiloPort)
                    : ClusterEndpoints.Parse(mining.Value.PrimarySiloEndpoint, $"{SiloHostOptions.Section}:PrimarySiloEndpoint")));
            silo.AddMemoryGrainStorage(MiningGrainStorage.Name);
            if (GrainSettings.TryRead(builder.Configuration, out var grains))
            {
                silo.AddMiningGrains(grains);
            }
        });
        return builder;
    }

    private static void AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().Configure<IConfiguration>((options, configuration) =>
        {
            try
            {
                // A misspelt key fails the start instead of silently keeping the default.
                configuration.GetSection(section).Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
            }
            catch (InvalidOperationException e)
            {
                // The binder names the key but not always its section.
                throw new SettingsException($"{section}: {e.Message}", e);
            }
        }).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
    }
}
