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
}
