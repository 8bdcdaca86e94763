namespace Mining.Grains.Execution;

/// <summary>A snapshot of one silo's <see cref="InferenceExecutor"/>.</summary>
/// <param name="QueueDepth">Images waiting for the device (queued or awaiting a queue slot).</param>
/// <param name="CpuQueueDepth">CPU work items (clustering, encoding) waiting.</param>
/// <param name="ImagesProcessed">Images mined to a result (failed images included), since start.</param>
/// <param name="ImagesFailed">Of those, images whose result is a failure (e.g. undecodable).</param>
/// <param name="Faults">Attempts that threw (silo faults, injected faults, model load errors).</param>
/// <param name="GuardViolations">Compute calls made outside the executor's threads (must stay 0).</param>
/// <param name="DeviceSeconds">Time the device thread spent mining.</param>
/// <param name="ModelsLoaded">Models held in memory.</param>
/// <param name="VariantsScored">Variants the model scored for the images mined.</param>
/// <param name="ForwardCalls">Forward calls of the images mined.</param>
/// <param name="ForwardSeconds">Device time of the images mined (faulted attempts, which <paramref name="DeviceSeconds"/> includes, left out).</param>
public sealed record ExecutorMetrics(
    int QueueDepth,
    int CpuQueueDepth,
    long ImagesProcessed,
    long ImagesFailed,
    long Faults,
    long GuardViolations,
    double DeviceSeconds,
    int ModelsLoaded,
    long VariantsScored,
    long ForwardCalls,
    double ForwardSeconds)
{
    /// <summary>Images mined per second of device time (0 before the first image).</summary>
    public double ImagesPerSecond => DeviceSeconds > 0 ? ImagesProcessed / DeviceSeconds : 0;
}
