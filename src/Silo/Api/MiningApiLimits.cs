namespace Mining.Silo.Api;

/// <summary>
/// What one API key can make the cluster do (configuration section <c>Mining:Api:Limits</c>), checked at start-up by
/// <see cref="MiningApiOptionsValidator"/>; the defaults suit a real deployment.
/// </summary>
public sealed class MiningApiLimits
{
    /// <summary>The section's name below <see cref="MiningApiOptions.SectionName"/>.</summary>
    public const string SectionName = "Limits";

    /// <summary>
    /// Requests to <c>/jobs</c> and <c>/codebooks</c> one key may send per <see cref="RequestWindow"/>; more is 429 with
    /// <c>Retry-After</c>. The Mining page sends 3 a second while open and <c>jobs watch</c> 4, so the default leaves room for both.
    /// </summary>
    public int RequestsPerWindow { get; set; } = 600;

    /// <summary>The fixed window <see cref="RequestsPerWindow"/> counts over.</summary>
    public TimeSpan RequestWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Most images one job may list (COCO's train split, 118,287 images, fits); more is 400 naming <c>images</c>.</summary>
    public int MaxImagesPerJob { get; set; } = 200_000;

    /// <summary>
    /// Largest manifest file (CSV or JSON Lines) a job may name, in bytes, read from the file's length before it is
    /// parsed; larger is 400 naming <c>images</c>. The default holds <see cref="MaxImagesPerJob"/> lines of over 300 bytes.
    /// </summary>
    public long MaxManifestBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// Most jobs submitted with one key that may be running (not yet completed, failed or cancelled) at once, across
    /// every gateway of the cluster; one more, submitted or resumed, is 429.
    /// </summary>
    public int MaxRunningJobsPerKey { get; set; } = 4;
}
