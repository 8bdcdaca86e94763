using Mining.Grains.Execution;

namespace Mining.Silo.Tests.Hosting;

/// <summary>
/// Lets a given number of images through the executor and holds the rest; <see cref="Abort"/> makes held and later
/// images fail as a stopping executor does (<see cref="OperationCanceledException"/>: no attempt is counted), so the
/// silo can stop while a job is mid-way.
/// </summary>
internal sealed class HeldImages : IExecutorFaults, IDisposable
{
    private readonly SemaphoreSlim passes = new(0);
    private readonly CancellationTokenSource aborted = new();

    /// <summary>Lets <paramref name="images"/> more images through.</summary>
    public void Pass(int images) => passes.Release(images);

    /// <summary>Lets every image through from now on.</summary>
    public void Open() => passes.Release(int.MaxValue / 2);

    /// <summary>From now on every image fails as if the executor had stopped.</summary>
    public void Abort() => aborted.Cancel();

    /// <inheritdoc />
    public void BeforeImage(ImageMiningRequest request)
    {
        try
        {
            passes.Wait(aborted.Token);
        }
        catch (OperationCanceledException e)
        {
            throw new OperationCanceledException("the test stopped the silo", e);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        aborted.Dispose();
        passes.Dispose();
    }
}
