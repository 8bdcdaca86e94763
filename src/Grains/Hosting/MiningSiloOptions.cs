using Mining.Grains.Placement;
using Mining.Kernels.Runtime;

namespace Mining.Grains.Hosting;

/// <summary>How a silo takes part in mining: its role, where artifacts go, how its executor runs the model.</summary>
public sealed class MiningSiloOptions
{
    /// <summary>Root folder of the local-folder artifact store (shared by all silos of a cluster, e.g. a mounted volume).</summary>
    public string ArtifactRoot { get; set; } = "artifacts";

    /// <summary>
    /// Whether image shards may be placed here (silo metadata <c>role=worker</c>); false makes the silo a
    /// <c>role=gateway</c> that hosts only jobs, codebooks and registries.
    /// </summary>
    public bool IsWorker { get; set; } = true;

    /// <summary>Device, compute dtype and CPU threads of this silo's executor.</summary>
    public RuntimeOptions Runtime { get; set; } = RuntimeOptions.Cpu;

    /// <summary>Token budget of one forward call (as <c>mine --max-batch-tokens</c>); 0 chooses it from the device's free memory.</summary>
    public int MaxBatchTokens { get; set; }

    /// <summary>Images that may wait for the device; a shard asking for more awaits a slot (backpressure).</summary>
    public int QueueCapacity { get; set; } = 4;

    /// <summary>Attempts on one image whose executor call throws before the shard records it as a failed image.</summary>
    public int MaxImageAttempts { get; set; } = 3;

    /// <summary>Wait before retrying an image after an executor fault; attempt n waits n times this.</summary>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a running job polls its shards (which also reactivates a deactivated shard).</summary>
    public TimeSpan JobPollInterval { get; set; } = TimeSpan.FromSeconds(0.5);

    /// <summary>
    /// Period of the reminder a running job holds so that it resumes by itself after the whole cluster restarted (its
    /// state must outlive the cluster). Null (default): no reminder, for silos without a reminder service; the silo
    /// must allow the period (<c>ReminderOptions.MinimumReminderPeriod</c>).
    /// </summary>
    public TimeSpan? JobReminderPeriod { get; set; }

    /// <summary>
    /// Images (lowest dataset indices) whose candidate embeddings, for those mined successfully, are stored as
    /// held-out tokens for the dedup impact report.
    /// </summary>
    public int ImpactImages { get; set; } = 32;

    /// <summary>
    /// How often this silo reports its executor's totals to the cluster metrics grain, and how often a gateway that
    /// serves <c>/metrics</c> reads them back.
    /// </summary>
    public TimeSpan MetricsReportInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a silo may go without reporting before the cluster metrics drop it (stopped, killed or cut off).</summary>
    public TimeSpan MetricsSiloTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Absolute folders every dataset, image and model file a job reads must lie in, checked by this silo when it opens
    /// the file (links followed, regular files only). Empty restricts nothing: the embedded cluster of a local run,
    /// reading the user's own files. A standalone silo must set them (<c>Mining:Silo:AllowedRoots</c>).
    /// </summary>
    public IList<string> AllowedRoots { get; set; } = [];

    /// <summary>The input policy <see cref="AllowedRoots"/> make.</summary>
    public Kernels.IO.AllowedRoots InputRoots() => AllowedRoots.Count == 0 ? Kernels.IO.AllowedRoots.Anywhere : new Kernels.IO.AllowedRoots(AllowedRoots);

    /// <summary>Further silo metadata published with the role (Orleans allows one <c>UseSiloMetadata</c> per silo).</summary>
    public Dictionary<string, string> SiloMetadata { get; } = new(StringComparer.Ordinal);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(ArtifactRoot))
        {
            throw new ArgumentException("Mining:ArtifactRoot must name a folder", nameof(ArtifactRoot));
        }

        ArgumentNullException.ThrowIfNull(Runtime, nameof(Runtime));
        RequireAtLeast(MaxBatchTokens, 0, nameof(MaxBatchTokens));
        RequireAtLeast(QueueCapacity, 1, nameof(QueueCapacity));
        RequireAtLeast(MaxImageAttempts, 1, nameof(MaxImageAttempts));
        RequireAtLeast(ImpactImages, 0, nameof(ImpactImages));
        if (RetryBackoff < TimeSpan.Zero)
        {
            throw new ArgumentException($"Mining:{nameof(RetryBackoff)} must not be negative, got {RetryBackoff}", nameof(RetryBackoff));
        }

        if (JobPollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Mining:{nameof(JobPollInterval)} must be positive, got {JobPollInterval}", nameof(JobPollInterval));
        }

        if (JobReminderPeriod is { } period && period <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Mining:{nameof(JobReminderPeriod)} must be positive, got {period}", nameof(JobReminderPeriod));
        }

        if (MetricsReportInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Mining:{nameof(MetricsReportInterval)} must be positive, got {MetricsReportInterval}", nameof(MetricsReportInterval));
        }

        if (MetricsSiloTimeout <= MetricsReportInterval)
        {
            throw new ArgumentException(
                $"Mining:{nameof(MetricsSiloTimeout)} must be longer than {nameof(MetricsReportInterval)} ({MetricsReportInterval}), got {MetricsSiloTimeout}",
                nameof(MetricsSiloTimeout));
        }

        foreach (var root in AllowedRoots)
        {
            if (string.IsNullOrWhiteSpace(root) || !Path.IsPathFullyQualified(root))
            {
                throw new ArgumentException($"Mining:{nameof(AllowedRoots)} must hold absolute folder paths, got '{root}'", nameof(AllowedRoots));
            }
        }

        if (SiloMetadata.ContainsKey(SiloRoles.MetadataKey))
        {
            throw new ArgumentException($"Mining:{nameof(SiloMetadata)} must not set '{SiloRoles.MetadataKey}'; use {nameof(IsWorker)}", nameof(SiloMetadata));
        }
    }

    private static void RequireAtLeast(int value, int minimum, string name)
    {
        if (value < minimum)
        {
            throw new ArgumentException($"Mining:{name} must be at least {minimum}, got {value}", name);
        }
    }
}
