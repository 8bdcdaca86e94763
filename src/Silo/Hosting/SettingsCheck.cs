using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Mining.Silo.Hosting;

/// <summary>
/// Reads every <c>Mining:*</c> section of the silo when the host creates its hosted services, before Orleans'
/// silo is created: the silo builds its providers (Redis membership, Azure blob grain storage) from these settings
/// while it is created, which is before ValidateOnStart runs, so without this check a bad setting would surface as
/// that provider's error, or as only the first bad section. Fails with every bad setting, each naming its key.
/// </summary>
internal sealed class SettingsCheck : IHostedService
{
    public SettingsCheck(
        IOptions<SiloHostOptions> silo,
        IOptions<ComputeOptions> compute,
        IOptions<ClusteringOptions> clustering,
        IOptions<GrainStorageOptions> grainStorage,
        IOptions<ArtifactOptions> artifacts,
        IOptions<ClusterTlsOptions> tls)
    {
        var failures = new List<Exception>();
        foreach (var read in new Action[] { () => _ = silo.Value, () => _ = compute.Value, () => _ = clustering.Value, () => _ = grainStorage.Value, () => _ = artifacts.Value, () => _ = tls.Value })
        {
            try
            {
                read();
            }
            catch (Exception e) when (e is OptionsValidationException or SettingsException)
            {
                failures.Add(e);
            }
        }

        if (failures.Count == 1)
        {
            throw failures[0];
        }

        if (failures.Count > 1)
        {
            throw new AggregateException("The silo's settings are invalid.", failures);
        }
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
