using Microsoft.Extensions.Logging;
using Mining.Grains.Hosting;
using Mining.Kernels.IO;
using Mining.Kernels.Model;

namespace Mining.Grains.Execution;

/// <summary>
/// The models an <see cref="InferenceExecutor"/> has loaded, by canonical directory path; only its device thread uses it.
/// A model is loaded only after its folder passes the silo's <see cref="AllowedRoots"/> (every file in it inside the
/// roots and regular), checked at the moment of loading, whoever submitted the job and however long ago.
/// </summary>
internal sealed class ModelCache(MiningSiloOptions options, AllowedRoots roots, ILogger logger) : IDisposable
{
    private readonly Dictionary<string, LlavaRuntime> models = new(StringComparer.Ordinal);
    private int count;

    /// <summary>Models held in memory; safe to read from any thread.</summary>
    public int Count => Volatile.Read(ref count);

    /// <summary>The loaded model for <paramref name="directory"/>, loading it on first use.</summary>
    public LlavaRuntime Get(string directory)
    {
        var key = roots.CheckFolder(directory);
        if (!models.TryGetValue(key, out var runtime))
        {
            runtime = LlavaRuntime.Load(key, options.Runtime, maxBatchTokens: options.MaxBatchTokens, roots: roots);
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
