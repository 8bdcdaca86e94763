namespace Mining.Grains.Hosting;

/// <summary>
/// A background loop that runs while the silo is active: started when the silo reaches
/// <see cref="ServiceLifecycleStage.Active"/>, cancelled and awaited when it leaves it.
/// </summary>
public abstract class SiloActiveLoop : ILifecycleParticipant<ISiloLifecycle>
{
    private readonly CancellationTokenSource stopping = new();
    private Task loop = Task.CompletedTask;

    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle)
    {
        ArgumentNullException.ThrowIfNull(lifecycle);
        lifecycle.Subscribe(GetType().Name, ServiceLifecycleStage.Active, Start, Stop);
    }

    /// <summary>The loop; it ends when <paramref name="cancellationToken"/> is cancelled at the silo's stop.</summary>
    protected abstract Task RunAsync(CancellationToken cancellationToken);

    private Task Start(CancellationToken cancellationToken)
    {
        loop = Task.Run(() => RunAsync(stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task Stop(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        await loop.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}
