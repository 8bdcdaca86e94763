using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Mining.Kernels.Pipeline;

namespace Mining.Grains.Execution;

/// <summary>
/// One silo's mining counters: what its <see cref="InferenceExecutor"/> (and the codebook grain, through it)
/// records. They are the instruments of the <see cref="MeterName"/> meter, which a host exports by name
/// (OpenTelemetry, dotnet-counters), and the source of <see cref="Snapshot"/>, which the silo's report reads.
/// </summary>
/// <remarks>
/// The executor mines one image per work item and the model splits the image's variants into forward calls by the
/// token budget, so batch size and forward latency are the image's means over its forward calls: recorded once per
/// image, they need no hook inside the model.
/// </remarks>
public sealed class MiningInstruments : IDisposable
{
    /// <summary>Name of the meter.</summary>
    public const string MeterName = "Mining";

    private readonly Meter meter;
    private readonly bool ownsMeter;
    private long imagesProcessed;
    private long imagesFailed;
    private long variantsScored;
    private long faults;
    private long codebookBuildCount;
    private long guardViolations;
    private long deviceTicks;
    private long forwardCalls;
    private long forwardTicks;
    private readonly ConcurrentDictionary<string, long> processedByJob = new(StringComparer.Ordinal);
    private readonly Func<int> queueDepth;
    private readonly Func<int> cpuQueueDepth;
    private readonly Func<int> modelsLoaded;
    private readonly Counter<long> codebookBuilds;
    private readonly Histogram<double> batchSize;
    private readonly Histogram<double> forwardDuration;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/> (or an own meter when there is none).</summary>
    /// <param name="meterFactory">The host's meter factory; null gives a meter this object owns and disposes.</param>
    /// <param name="queueDepth">Images waiting for the device, read when the gauge is observed.</param>
    /// <param name="cpuQueueDepth">CPU work items waiting, read when the gauge is observed.</param>
    /// <param name="modelsLoaded">Models held in memory, read by <see cref="Snapshot"/> (none: 0).</param>
    public MiningInstruments(IMeterFactory? meterFactory, Func<int> queueDepth, Func<int> cpuQueueDepth, Func<int>? modelsLoaded = null)
    {
        this.queueDepth = queueDepth ?? throw new ArgumentNullException(nameof(queueDepth));
        this.cpuQueueDepth = cpuQueueDepth ?? throw new ArgumentNullException(nameof(cpuQueueDepth));
        this.modelsLoaded = modelsLoaded ?? (() => 0);
        ownsMeter = meterFactory is null;
        meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        // Totals are observable counters: every collection reports them, from 0 at start, whenever the exporter began
        // listening (an Add(0) made before the exporter subscribes would be lost).
        meter.CreateObservableCounter("mining.images.processed", () => Interlocked.Read(ref imagesProcessed), "{image}", "Images mined to a result, failed images included");
        meter.CreateObservableCounter("mining.images.failed", () => Interlocked.Read(ref imagesFailed), "{image}", "Images whose result is a failure (unreadable or undecodable), with its reason in the job status");
        meter.CreateObservableCounter("mining.variants.scored", () => Interlocked.Read(ref variantsScored), "{variant}", "Variants the model scored; its rate is variants per second");
        meter.CreateObservableCounter("mining.executor.faults", () => Interlocked.Read(ref faults), "{attempt}", "Mining attempts that threw (silo faults, model load errors); the shard retries them");
        codebookBuilds = meter.CreateCounter<long>("mining.codebook.builds", "{version}", "Codebook versions built");
        batchSize = meter.CreateHistogram<double>("mining.forward.batch_size", "{variant}", "Variants per forward call: an image's variants over its forward calls, recorded once per image");
        forwardDuration = meter.CreateHistogram<double>("mining.forward.duration", "s", "Device time per forward call: an image's device time (preprocessing and vision encoding included) over its forward calls, recorded once per image");
        meter.CreateObservableGauge("mining.executor.queue_depth", queueDepth, "{image}", "Images waiting for the device (queued or awaiting a queue slot)");
        meter.CreateObservableGauge("mining.executor.cpu_queue_depth", cpuQueueDepth, "{item}", "CPU work items (validation, clustering, encoding) waiting");
    }

    /// <summary>Records one image of <paramref name="jobId"/> mined to a result: the result, the forward calls it took and its device time.</summary>
    public void ImageMined(string jobId, MinedImage mined, long forwardCalls, TimeSpan deviceTime)
    {
        ArgumentNullException.ThrowIfNull(jobId);
        ArgumentNullException.ThrowIfNull(mined);
        Interlocked.Add(ref this.forwardCalls, forwardCalls);
        Interlocked.Add(ref forwardTicks, deviceTime.Ticks);
        processedByJob.AddOrUpdate(jobId, 1, (_, count) => count + 1);
        Interlocked.Increment(ref imagesProcessed);
        if (mined.Result.Status == Kernels.Experiments.ImageStatus.Failed)
        {
            Interlocked.Increment(ref imagesFailed);
        }

        Interlocked.Add(ref variantsScored, mined.VariantsScored);
        if (forwardCalls > 0)
        {
            batchSize.Record((double)mined.VariantsScored / forwardCalls);
            forwardDuration.Record(deviceTime.TotalSeconds / forwardCalls);
        }
    }

    /// <summary>Records a mining attempt that threw.</summary>
    public void Fault() => Interlocked.Increment(ref faults);

    /// <summary>Records the device time of one mining attempt, whether it mined the image or threw.</summary>
    public void DeviceTime(TimeSpan time) => Interlocked.Add(ref deviceTicks, time.Ticks);

    /// <summary>Records a compute call made outside the executor's threads.</summary>
    public void GuardViolation() => Interlocked.Increment(ref guardViolations);

    /// <summary>Images of <paramref name="jobId"/> mined to a result on this silo.</summary>
    public long ImagesProcessed(string jobId) => processedByJob.GetValueOrDefault(jobId);

    /// <summary>The counters and queue depths now.</summary>
    public ExecutorMetrics Snapshot() => new(
        queueDepth(),
        cpuQueueDepth(),
        Interlocked.Read(ref imagesProcessed),
        Interlocked.Read(ref imagesFailed),
        Interlocked.Read(ref faults),
        Interlocked.Read(ref guardViolations),
        TimeSpan.FromTicks(Interlocked.Read(ref deviceTicks)).TotalSeconds,
        modelsLoaded(),
        Interlocked.Read(ref variantsScored),
        Interlocked.Read(ref forwardCalls),
        TimeSpan.FromTicks(Interlocked.Read(ref forwardTicks)).TotalSeconds);

    /// <summary>Codebook versions built on this silo since it started.</summary>
    public long CodebookBuilds => Interlocked.Read(ref codebookBuildCount);

    /// <summary>Records a codebook version built for <paramref name="codebook"/>.</summary>
    public void CodebookBuilt(string codebook)
    {
        Interlocked.Increment(ref codebookBuildCount);
        codebookBuilds.Add(1, new KeyValuePair<string, object?>("codebook", codebook));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (ownsMeter)
        {
            meter.Dispose();
        }
    }
}
