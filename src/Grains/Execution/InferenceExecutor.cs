using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Mining.Grains.Hosting;
using Mining.Kernels.Experiments;
using Mining.Kernels.Model;
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
    private readonly Dictionary<string, LlavaRuntime> models = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> processedByJob = new(StringComparer.Ordinal);
    private readonly MiningInstruments instruments;
    private long processed;
    private long failed;
    private long faultCount;
    private long violations;
    private long deviceTicks;
    private long variantsScored;
    private long forwardCalls;
    private long forwardTicks;
    private int modelsLoaded;
    private int disposed;

    /// <summary>Creates the executor and starts its threads; models load on first use.</summary>
    /// <param name="options">The silo's mining options.</param>
    /// <param name="faults">The fault hook (tests inject faults through it).</param>
    /// <param name="logger">The executor's logger.</param>
    /// <param name="meterFactory">The host's meter factory for <see cref="Instruments"/>; without one the executor owns its meter.</param>
    public InferenceExecutor(IOptions<MiningSiloOptions> options, IExecutorFaults faults, ILogger<InferenceExecutor> logger, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options.Value;
        this.options.Validate();
        this.faults = faults ?? throw new ArgumentNullException(nameof(faults));
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
        deviceQueue = new WorkQueue(Channel.CreateBounded<IWorkItem>(new BoundedChannelOptions(this.options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        }));
        cpuQueue = new WorkQueue(Channel.CreateUnbounded<IWorkItem>(new UnboundedChannelOptions { SingleReader = true }));
        instruments = new MiningInstruments(meterFactory, () => deviceQueue.Depth, () => cpuQueue.Depth);
        deviceThread = new Thread(() => Drain(deviceQueue, disposeModels: true)) { IsBackground = true, Name = "mining-device" };
        cpuThread = new Thread(() => Drain(cpuQueue, disposeModels: false)) { IsBackground = true, Name = "mining-cpu" };
        deviceThread.Start();
        cpuThread.Start();
    }

    /// <summary>Current queue depths and counters.</summary>
    public ExecutorMetrics Metrics => new(
        deviceQueue.Depth,
        cpuQueue.Depth,
        Interlocked.Read(ref processed),
        Interlocked.Read(ref failed),
        Interlocked.Read(ref faultCount),
        Interlocked.Read(ref violations),
        TimeSpan.FromTicks(Interlocked.Read(ref deviceTicks)).TotalSeconds,
        Volatile.Read(ref modelsLoaded),
        Interlocked.Read(ref variantsScored),
        Interlocked.Read(ref forwardCalls),
        TimeSpan.FromTicks(Interlocked.Read(ref forwardTicks)).TotalSeconds);

    /// <summary>This silo's instruments of the <see cref="MiningInstruments.MeterName"/> meter.</summary>
    public MiningInstruments Instruments => instruments;

    /// <summary>Images of <paramref name="jobId"/> this executor has mined to a result.</summary>
    public long ImagesProcessed(string jobId) => processedByJob.GetValueOrDefault(jobId);

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

        Interlocked.Increment(ref violations);
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
            var runtime = Model(request.Model);
            var callsBefore = runtime.ForwardCalls;
            var miner = new ImageMiner(runtime, request.Parameters, request.Candidates, request.Aspect);
            var mined = miner.Mine(request.Image);
            var calls = runtime.ForwardCalls - callsBefore;
            instruments.ImageMined(mined, calls, clock.Elapsed);
            Interlocked.Add(ref variantsScored, mined.VariantsScored);
            Interlocked.Add(ref forwardCalls, calls);
            Interlocked.Add(ref forwardTicks, clock.Elapsed.Ticks);
            Interlocked.Increment(ref processed);
            processedByJob.AddOrUpdate(request.JobId, 1, (_, count) => count + 1);
            if (mined.Result.Status == ImageStatus.Failed)
            {
                Interlocked.Increment(ref failed);
            }

            return mined;
        }
        catch
        {
            Interlocked.Increment(ref faultCount);
            instruments.Fault();
            throw;
        }
        finally
        {
            Interlocked.Add(ref deviceTicks, clock.Elapsed.Ticks);
        }
    }

    /// <summary>The loaded model for <paramref name="directory"/>; only the device thread touches the cache.</summary>
    private LlavaRuntime Model(string directory)
    {
        var key = Path.GetFullPath(directory);
        if (!models.TryGetValue(key, out var runtime))
        {
            runtime = LlavaRuntime.Load(key, options.Runtime, maxBatchTokens: options.MaxBatchTokens);
            models.Add(key, runtime);
            Interlocked.Increment(ref modelsLoaded);
            logger.LogInformation("Loaded model {Model} on {Device}", key, runtime.Device);
        }

        return runtime;
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
            foreach (var runtime in models.Values)
            {
                runtime.Dispose();
            }

            models.Clear();
        }
    }

    private interface IWorkItem
    {
        void Run();
    }

    /// <summary>A channel of work with the count of items waiting in it or waiting to enter it (back-pressure).</summary>
    private sealed class WorkQueue(Channel<IWorkItem> channel)
    {
        private int depth;

        public int Depth => Volatile.Read(ref depth);

        public async Task EnqueueAsync(IWorkItem item, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref depth);
            try
            {
                await channel.Writer.WriteAsync(item, cancellationToken);
            }
            catch (ChannelClosedException e)
            {
                Interlocked.Decrement(ref depth);
                throw new OperationCanceledException("the inference executor has stopped", e);
            }
            catch
            {
                Interlocked.Decrement(ref depth);
                throw;
            }
        }

        public bool WaitToRead() => channel.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult();

        public bool TryDequeue([System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out IWorkItem item)
        {
            if (!channel.Reader.TryRead(out item))
            {
                return false;
            }

            Interlocked.Decrement(ref depth);
            return true;
        }

        public void Complete() => channel.Writer.TryComplete();
    }

    /// <summary>A queued call whose caller awaits <see cref="Task"/>; continuations never run on the executor's thread.</summary>
    private sealed class WorkItem<T>(Func<T> work, CancellationToken cancellationToken) : IWorkItem
    {
        private readonly TaskCompletionSource<T> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<T> Task => completion.Task;

        public void Run()
        {
            if (cancellationToken.IsCancellationRequested)
            {
                completion.TrySetCanceled(cancellationToken);
                return;
            }

            try
            {
                completion.TrySetResult(work());
            }
            catch (Exception e)
            {
                completion.TrySetException(e);
            }
        }
    }
}
