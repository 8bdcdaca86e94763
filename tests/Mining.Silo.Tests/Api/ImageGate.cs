using System.Collections.Concurrent;
using Mining.Grains.Execution;

namespace Mining.Silo.Tests.Api;

/// <summary>
/// Holds the images of chosen jobs on the executor's device thread until a test lets them through, so a test sees
/// a job mid-way; images of other jobs pass untouched.
/// </summary>
internal sealed class ImageGate : IExecutorFaults
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> held = new(StringComparer.Ordinal);

    /// <summary>From now on, every image of <paramref name="jobId"/> waits for <see cref="Release"/> or <see cref="Open"/>.</summary>
    public void Hold(string jobId) => held[jobId] = new SemaphoreSlim(0);

    /// <summary>Lets <paramref name="images"/> more images of <paramref name="jobId"/> through.</summary>
    public void Release(string jobId, int images = 1) => held[jobId].Release(images);

    /// <summary>Lets every image of <paramref name="jobId"/> through, now and later.</summary>
    public void Open(string jobId)
    {
        if (held.TryRemove(jobId, out var gate))
        {
            gate.Release(int.MaxValue / 2);
        }
    }

    /// <inheritdoc />
    public void BeforeImage(ImageMiningRequest request)
    {
        if (held.TryGetValue(request.JobId, out var gate))
        {
            gate.Wait();
        }
    }
}
