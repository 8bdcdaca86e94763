using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mining.Grains.Hosting;
using Mining.Kernels.IO;
using Mining.Kernels.Experiments;
using Mining.Kernels.Pipeline;

namespace Mining.Grains.Execution;

/// <summary>
/// The per-silo owner of the device: loads each model once, takes images from many shard grains through a
/// bounded queue (callers await a slot) and mines them one at a time on its own device thread; a second
/// dedicated thread runs CPU work (clustering, Parquet encoding) for grains. Nothing here runs on the Orleans
/// scheduler, and <see cref="RequireExecutorThread"/> asserts it before every compute call.
/// </summary>
/// <remarks>
/// One image at a time: <see cref="ImageMiner"/> already batches that image's variants up to
/// <see cref="MiningSiloOptions.MaxBatchTokens"/>. Batching variants across images (fuller batches on a GPU) is a
/// later performance step; the queue is the place it will go.
/// </remarks>
public sealed class InferenceExecutor : IHostedService, IDisposable
{
    private readonly MiningSiloOptions options;
    private readonly IExecutorFaults faults;
    private readonly ILogger logger;
    private readonly WorkQueue deviceQueue;
    private readonly WorkQueue cpuQueue;
    private readonly Thread deviceThread;
    private readonly Thread cpuThread;
    private readonly ModelCache models;
    private readonly MiningInstruments instruments;
    private readonly AllowedRoots roots;
    private int disposed;

    /// <summary>Creates the executor and starts its threads; models load on first use.</summary>
    /// <param name="options">The silo's mining options.</param>
    /// <param name="faults">The fault hook (tests inject faults through it).</param>
    /// <param name="logger">The executor's logger.</param>
    /// <param name="meterFactory">The host's meter factory for <see cref="Instruments"/>; without one the executor owns its meter.</param>
    /// <param name="roots">Where job inputs may be read from; null takes <see cref="MiningSiloOptions.AllowedRoots"/>.</param>
    public InferenceExecutor(IOptions<MiningSiloOptions> options, IExecutorFaults faults, ILogger<InferenceExecutor> logger, IMeterFactory? meterFactory = null, AllowedRoots? roots = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        this.options.Validate();
        this.roots = roots ?? this.options.InputRoots();
        this.faults = faults ?? throw new ArgumentNullException(nameof(faults));
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
        deviceQueue = new WorkQueue(Channel.CreateBounded<IWorkItem>(new BoundedChannelOptions(this.options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        }));
        cpuQueue = new WorkQueue(Channel.CreateUnbounded<IWorkItem>(new UnboundedChannelOptions { SingleReader = true }));
        models = new ModelCache(this.options, this.roots, this.logger);
        instruments = new MiningInstruments(meterFactory, () => deviceQueue.Depth, () => cpuQueue.Depth, () => models.Count);
        deviceThread = new Thread(() => Drain(deviceQueue, disposeModels: true)) { IsBackground = true, Name = "mining-device" };
        cpuThread = new Thread(() => Drain(cpuQueue, disposeModels: false)) { IsBackground = true, Name = "mining-cpu" };
        deviceThread.Start();
        cpuThread.Start();
    }

    /// <summary>Current queue depths and counters, from <see cref="Instruments"/>.</summary>
    public ExecutorMetrics Metrics => instruments.Snapshot();

    /// <summary>This silo's counters: the instruments of the <see cref="MiningInstruments.MeterName"/> meter.</summary>
    public MiningInstruments Instruments => instruments;

    /// <summary>Images of <paramref name="jobId"/> this executor has mined to a result.</summary>
    public long ImagesProcessed(string jobId) => instruments.ImagesProcessed(jobId);

    /// <summary>
    /// Mines one image on the device thread. Awaits a queue slot first (backpressure). A cancelled token drops the
    /// request only while it waits; once mining has begun it runs to the end, so a result is never thrown away.
    /// Failed images (unreadable, undecodable) come back as failed results; an exception means a fault, except
    /// <see cref="OperationCanceledException"/>, which means the request was dropped or the executor has stopped.
    /// </summary>
    public async Task<MinedImage> MineAsync(ImageMiningRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var item = new WorkItem<MinedImage>(() => Mine(request), cancellationToken);
        await deviceQueue.EnqueueAsync(item, cancellationToken);
        return await item.Task;
    }

    /// <summary>Runs CPU-heavy <paramref name="work"/> (clustering, encoding) on the executor's CPU thread.</summary>
    public async Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        var item = new WorkItem<T>(
            () =>
            {
                RequireExecutorThread();
                return work();
            },
            cancellationToken);
        await cpuQueue.EnqueueAsync(item, cancellationToken);
        return await item.Task;
    }

    /// <summary>
    /// Throws <see cref="InvalidOperationException"/> (and counts a violation) unless called synchronously on one of
    /// the executor's own threads — never on an Orleans activation's scheduler or a thread-pool thread.
    /// </summary>
    public void RequireExecutorThread()
    {
        var thread = Thread.CurrentThread;
        if ((thread == deviceThread || thread == cpuThread) && TaskScheduler.Current == TaskScheduler.Default)
        {
            return;
        }

        instruments.GuardViolation();
        throw new InvalidOperationException(
            $"compute must run on the inference executor's own threads; it was called on thread '{thread.Name ?? thread.ManagedThreadId.ToString(System.Globalization.CultureInfo.InvariantCulture)}' "
            + $"under task scheduler {TaskScheduler.Current.GetType().Name}");
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Inference executor ready: device {Device}, queue capacity {Capacity}", options.Runtime.Device, options.QueueCapacity);
        return Task.CompletedTask;
    }

    /// <summary>Where this silo reads job inputs from: every dataset, image and model file is opened through it.</summary>
    public AllowedRoots Roots => roots;

    /// <summary>
    /// Reports the counters. The threads keep serving until the container disposes the executor: the silo may still
    /// be finishing grain turns that wait on it, and a result must not be thrown away.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        var metrics = Metrics;
        logger.LogInformation(
            "Inference executor stopping: {Images} images ({Failed} failed, {Faults} faults) in {Seconds:F1} s of device time, {Violations} guard violations",
            metrics.ImagesProcessed,
            metrics.ImagesFailed,
            metrics.Faults,
            metrics.DeviceSeconds,
            metrics.GuardViolations);
        return Task.CompletedTask;
    }

    /// <summary>Stops taking work, lets queued work finish and releases the models.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        deviceQueue.Complete();
        cpuQueue.Complete();
        deviceThread.Join();
        cpuThread.Join();
        instruments.Dispose();
    }

    private MinedImage Mine(ImageMiningRequest request)
    {
        RequireExecutorThread();
        var clock = Stopwatch.StartNew();
        try
        {
            faults.BeforeImage(request);
            var runtime = models.Get(request.Model);
            var callsBefore = runtime.ForwardCalls;
            var miner = new ImageMiner(runtime, request.Parameters, request.Candidates, request.Aspect, roots);
            var mined = miner.Mine(request.Image);
            instruments.ImageMined(request.JobId, mined, runtime.ForwardCalls - callsBefore, clock.Elapsed);
            return mined;
        }
        catch
        {
            instruments.Fault();
            throw;
        }
        finally
        {
            instruments.DeviceTime(clock.Elapsed);
        }
    }

    /// <summary>The body of an executor thread: runs work items in order until the queue completes.</summary>
    private void Drain(WorkQueue queue, bool disposeModels)
    {
        // Blocking is the point: this thread belongs to the executor and has nothing else to do.
        while (queue.WaitToRead())
        {
            while (queue.TryDequeue(out var item))
            {
                item.Run();
            }
        }

        if (disposeModels)
        {
            models.Dispose();
        }
    }
}
