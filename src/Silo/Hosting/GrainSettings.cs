using Mining.Grains.Hosting;

namespace Mining.Silo.Hosting;

/// <summary>The grains' <see cref="MiningSiloOptions"/> made from the host's <c>Mining:*</c> settings.</summary>
internal static class GrainSettings
{
    /// <summary>
    /// Period of a running job's reminder, which brings the job back after the whole cluster restarted: a restarted
    /// cluster resumes its jobs within about this long. Also the silo's minimum reminder period.
    /// </summary>
    public static readonly TimeSpan JobReminderPeriod = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The grains' options for a silo with these settings, or null when they are out of range. <c>AddMiningGrains</c>
    /// takes its options while the host is being built and throws on a bad one; given null, the host leaves the grains
    /// out and the start fails anyway, in ValidateOnStart, with the setting's name.
    /// </summary>
    public static Action<MiningSiloOptions>? For(SiloHostOptions silo, ComputeOptions compute, ArtifactOptions artifacts)
    {
        if (!ComputeOptions.DTypes.ContainsKey(compute.DType ?? "") || string.IsNullOrWhiteSpace(artifacts.Root))
        {
            return null;
        }

        void Configure(MiningSiloOptions options)
        {
            options.IsWorker = silo.Role == SiloRole.Worker;
            options.ArtifactRoot = artifacts.FullRoot;
            options.Runtime = compute.ToRuntimeOptions();
            options.MaxBatchTokens = compute.MaxBatchTokens;
            options.JobReminderPeriod = JobReminderPeriod;
            options.AllowedRoots = [.. silo.AllowedRoots];
        }

        try
        {
            var probe = new MiningSiloOptions();
            Configure(probe);
            probe.Validate();
            return Configure;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
