using Microsoft.Extensions.Logging;
using Mining.Grains.Hosting;
using Mining.Kernels.Model;

namespace Mining.Grains.Execution;

/// <summary>The models an <see cref="InferenceExecutor"/> has loaded, by full directory path; only its device thread uses it.</summary>
internal sealed class ModelCache(MiningSiloOptions options, ILogger logger) : IDisposable
{
    private readonly Dictionary<string, LlavaRuntime> models = new(StringComparer.Ordinal);
    private int count;

    /// <summary>Models held in memory; safe to read from any thread.</summary>
    public int Count => Volatile.Read(ref count);

    /// <summary>The loaded model for <paramref name="directory"/>, loading it on first use.</summary>
    public LlavaRuntime Get(string directory)
    {
        var key = Path.GetFullPath(directory);
        if (!models.TryGetValue(key, out var runtime))
        {
            runtime = LlavaRuntime.Load(key, options.Runtime, maxBatchTokens: options.MaxBatchTokens);
            models.Add(key, runtime);
            Interlocked.Increment(ref count);
            logger.LogInformation("Loaded model {Model} on {Device}", key, runtime.Device);
        }

        return runtime;
    }

    /// <summary>Releases every model.</summary>
    public void Dispose()
    {
        foreach (var runtime in models.Values)
        {
            runtime.Dispose();
        }

        models.Clear();
    }
}
