using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Mining.Grains.Artifacts;
using Mining.Grains.Hosting;
using Mining.Silo.Storage;
using Orleans.Clustering.Redis;
using Orleans.Configuration;
using StackExchange.Redis;

namespace Mining.Silo.Hosting;

/// <summary>Adds a Mining silo to a host: settings, clustering, grain storage and the grains.</summary>
public static class MiningSiloExtensions
{
    /// <summary>
    /// Adds a silo configured from the <c>Mining:Silo</c>, <c>Mining:Compute</c>, <c>Mining:Clustering</c>,
    /// <c>Mining:GrainStorage</c>, <c>Mining:Artifacts</c> and <c>Mining:Tls</c> sections (validated when the host starts), and the mining
    /// grains with this silo's role, device and artifact store. The defaults are the embedded profile of
    /// ARCHITECTURE §2: development clustering with the primary silo holding membership (and reminders) in memory,
    /// in-memory grain storage and the local artifact folder. The production profile takes membership and reminders
    /// from Redis, grain state from Azure blobs (Orleans' provider, <see cref="GrainStorageSiloBuilderExtensions.AddMiningGrainStorage"/>) and artifacts from an Azure
    /// container (<see cref="AzureBlobArtifactStore"/>). Running jobs hold a reminder, so a job whose state outlives
    /// the cluster resumes when the cluster starts again.
    /// </summary>
    public static IHostApplicationBuilder AddMiningSilo(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<SiloHostOptions, SiloHostOptionsValidator>(SiloHostOptions.Section);
        builder.Services.AddValidatedOptions<ComputeOptions, ComputeOptionsValidator>(ComputeOptions.Section);
        builder.Services.AddValidatedOptions<ArtifactOptions, ArtifactOptionsValidator>(ArtifactOptions.Section);
        builder.Services.AddValidatedOptions<ClusteringOptions, ClusteringOptionsValidator>(ClusteringOptions.Section);
        builder.Services.AddValidatedOptions<GrainStorageOptions, GrainStorageOptionsValidator>(GrainStorageOptions.Section);
        builder.Services.AddValidatedOptions<ClusterTlsOptions, ClusterTlsOptionsValidator>(ClusterTlsOptions.Section);

        // Before UseOrleans: hosted services are created in registration order, and the silo's creation reads these settings.
        builder.Services.AddHostedService<SettingsCheck>();
        var configuration = builder.Configuration;
        var clustering = ProfileSettings.Read<ClusteringOptions>(configuration, ClusteringOptions.Section).Provider;
        var grainStorage = ProfileSettings.Read<GrainStorageOptions>(configuration, GrainStorageOptions.Section).Provider;
        var artifactSettings = ProfileSettings.Read<ArtifactOptions>(configuration, ArtifactOptions.Section);
        var grains = GrainSettings.For(
            ProfileSettings.Read<SiloHostOptions>(configuration, SiloHostOptions.Section),
            ProfileSettings.Read<ComputeOptions>(configuration, ComputeOptions.Section),
            artifactSettings);
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
                }

                // The client port listens where it is told, loopback by default, whatever the address others reach the silo at.
                endpoints.GatewayListeningEndpoint = options.GatewayPort == 0 ? null : new IPEndPoint(IPAddress.Parse(options.GatewayListenAddress), options.GatewayPort);
            });
            silo.Services.AddOptions<ClusterOptions>().Configure<IOptions<SiloHostOptions>>((cluster, mining) =>
            {
                cluster.ClusterId = mining.Value.ClusterId;
                cluster.ServiceId = mining.Value.ServiceId;
            });
            silo.Services.AddOptions<SiloOptions>().Configure<IOptions<SiloHostOptions>>((orleans, mining) => orleans.SiloName = mining.Value.SiloName);
            silo.AddClustering(clustering);
            silo.AddMiningTls();
            silo.AddMiningGrainStorage(grainStorage);
            if (artifactSettings.Provider == ArtifactProvider.AzureBlob)
            {
                // Registered before AddMiningGrains, whose local-folder store only fills in when none is.
                silo.Services.AddSingleton<IArtifactStore>(provider =>
                {
                    var options = provider.GetRequiredService<IOptions<ArtifactOptions>>().Value;
                    return new AzureBlobArtifactStore(options.ConnectionString!, options.ContainerName);
                });
            }

            if (grains is not null)
            {
                silo.AddMiningGrains(grains);
            }
        });
        return builder;
    }

    /// <summary>Membership and reminders: in the primary silo's memory (Development) or in Redis.</summary>
    private static void AddClustering(this ISiloBuilder silo, ClusteringProvider provider)
    {
        silo.Configure<ReminderOptions>(reminders => reminders.MinimumReminderPeriod = GrainSettings.JobReminderPeriod);
        if (provider == ClusteringProvider.Redis)
        {
            silo.UseRedisClustering(_ => { });
            silo.Services.AddOptions<RedisClusteringOptions>().Configure<IConfiguration>((redis, configuration) =>
                redis.ConfigurationOptions = RedisConfiguration(configuration));
            silo.UseRedisReminderService(_ => { });
            silo.Services.AddOptions<RedisReminderTableOptions>().Configure<IConfiguration>((redis, configuration) =>
                redis.ConfigurationOptions = RedisConfiguration(configuration));
            return;
        }

        silo.UseDevelopmentClustering(membership => membership.Configure<IOptions<SiloHostOptions>>((options, mining) =>
            options.PrimarySiloEndpoint = string.IsNullOrWhiteSpace(mining.Value.PrimarySiloEndpoint)
                ? new IPEndPoint(IPAddress.Parse(mining.Value.AdvertisedAddress), mining.Value.SiloPort)
                : ClusterEndpoints.Parse(mining.Value.PrimarySiloEndpoint, $"{SiloHostOptions.Section}:PrimarySiloEndpoint")));
        silo.UseInMemoryReminderService();
    }

    /// <summary>
    /// The Redis configuration, read from the settings without validating them: the host builds the silo (and so
    /// these options) before ValidateOnStart runs, and a validated read here would report only this section's
    /// problems. Null when unusable; the start then fails in ValidateOnStart naming the key.
    /// </summary>
    private static ConfigurationOptions? RedisConfiguration(IConfiguration configuration)
    {
        var connection = ProfileSettings.Read<ClusteringOptions>(configuration, ClusteringOptions.Section).RedisConnectionString;
        try
        {
            return string.IsNullOrWhiteSpace(connection) ? null : ConfigurationOptions.Parse(connection);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static void AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().Configure<IConfiguration>((options, configuration) => ProfileSettings.Bind(configuration, section, options)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
    }
}
