using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Mining.Grains.Artifacts;
using Mining.Grains.Execution;
using Mining.Grains.Placement;
using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace Mining.Grains.Hosting;

/// <summary>Adds the mining grains' services to a silo.</summary>
public static class MiningSiloBuilderExtensions
{
    /// <summary>
    /// Registers what the mining grains need on this silo: <see cref="MiningSiloOptions"/> (validated now, so a bad
    /// setting fails before the silo starts), the <see cref="InferenceExecutor"/> (singleton and hosted service), the
    /// local-folder <see cref="IArtifactStore"/> at <see cref="MiningSiloOptions.ArtifactRoot"/>, the worker
    /// placement filter and the spreading placement for image shards, the gateway-preferring placement filter for job and
    /// codebook grains, the <see cref="SiloMiningReporter"/> that reports the executor's totals to the
    /// cluster metrics grain, and this silo's metadata <c>role=worker</c> or <c>role=gateway</c> (from
    /// <see cref="MiningSiloOptions.IsWorker"/>, plus <see cref="MiningSiloOptions.SiloMetadata"/>).
    /// </summary>
    /// <remarks>
    /// The host still chooses clustering and registers the grain storage named <see cref="MiningGrainStorage.Name"/>
    /// (e.g. <c>AddMemoryGrainStorage(MiningGrainStorage.Name)</c>). This call owns the silo's
    /// <c>UseSiloMetadata</c>: Orleans takes one per silo, so pass other metadata through the options. Services
    /// registered before this call win (an <see cref="IArtifactStore"/> for Azure Blob, an
    /// <see cref="IExecutorFaults"/> for tests).
    /// </remarks>
    public static ISiloBuilder AddMiningGrains(this ISiloBuilder builder, Action<MiningSiloOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new MiningSiloOptions();
        configure?.Invoke(options);
        options.Validate();

        var metadata = new Dictionary<string, string>(options.SiloMetadata, StringComparer.Ordinal)
        {
            [SiloRoles.MetadataKey] = options.IsWorker ? SiloRoles.Worker : SiloRoles.Gateway,
        };
        builder.UseSiloMetadata(metadata);

        var services = builder.Services;
        services.AddSingleton(Options.Create(options));
        services.AddSingleton(options.InputRoots());
        services.TryAddSingleton<IExecutorFaults, NoExecutorFaults>();
        services.TryAddSingleton<IArtifactStore>(_ => new LocalFolderArtifactStore(options.ArtifactRoot));
        services.AddSingleton<InferenceExecutor>();
        services.AddHostedService(provider => provider.GetRequiredService<InferenceExecutor>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SiloMiningReporter>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(provider => provider.GetRequiredService<SiloMiningReporter>());
        services.AddPlacementFilter<WorkerPlacementFilterStrategy, WorkerPlacementFilterDirector>(ServiceLifetime.Transient);
        services.AddPlacementFilter<GatewayPreferredPlacementFilterStrategy, GatewayPreferredPlacementFilterDirector>(ServiceLifetime.Transient);
        services.AddPlacementDirector<ShardSpreadPlacementStrategy, ShardSpreadPlacementDirector>();
        return builder;
    }
}
