using System.Collections.Concurrent;
using Mining.Grains.Execution;

namespace Mining.Grains.Tests.Cluster;

/// <summary>
/// A fault hook shared by every silo of the test cluster: throws for chosen images a set number of times, or holds
/// an image on the executor's device thread until the test releases it.
/// </summary>
internal sealed class ScriptedExecutorFaults : IExecutorFaults
{
    private readonly Dictionary<string, int> failures = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ImageHold> holds = new(StringComparer.Ordinal);

    /// <summary>Makes the next <paramref name="times"/> attempts on the image throw.</summary>
    public void FailTimes(string jobId, string imageId, int times)
    {
        lock (failures)
        {
            failures[Key(jobId, imageId)] = times;
        }
    }

    /// <summary>Holds the image on the device thread (the first time it is mined) until <see cref="ImageHold.Release"/>.</summary>
    public ImageHold Hold(string jobId, string imageId)
    {
        var hold = new ImageHold();
        holds[Key(jobId, imageId)] = hold;
        return hold;
    }

    public void BeforeImage(ImageMiningRequest request)
    {
        var key = Key(request.JobId, request.Image.ImageId);
        if (holds.TryRemove(key, out var hold))
        {
            hold.Enter();
        }

        lock (failures)
        {
            if (failures.TryGetValue(key, out var remaining) && remaining > 0)
            {
                failures[key] = remaining - 1;
                throw new IOException($"injected executor fault for image '{request.Image.ImageId}'");
            }
        }
    }

    private static string Key(string jobId, string imageId) => $"{jobId}/{imageId}";
}
