using Microsoft.Extensions.Hosting;

namespace Mining.Silo.Clustering;

/// <summary>
/// The lifetime of a host that lives inside another program (the CLI, a test): it neither waits for nor reacts to
/// Ctrl+C or SIGTERM, so the owner decides when to stop, and several such hosts share one process.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
