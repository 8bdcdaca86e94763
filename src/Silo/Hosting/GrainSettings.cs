using Microsoft.Extensions.Configuration;
using Mining.Grains.Hosting;

namespace Mining.Silo.Hosting;

/// <summary>The grains' <see cref="MiningSiloOptions"/> made from the host's <c>Mining:*</c> sections.</summary>
internal static class GrainSettings
{
    /// <summary>
    /// Period of a running job's reminder, which brings the job back after the whole cluster restarted: a restarted
    /// cluster resumes its jobs within about this long. Also the silo's minimum reminder period.
    /// </summary>
    public static readonly TimeSpan JobReminderPeriod = TimeSpan.FromSeconds(10);

    /// <summary>
    /// <c>AddMiningGrains</c> takes its settings while the host is being built, not when it starts.
    /// This reads them then; when a section does not bind or a value is out of range it returns false, and the host
    /// leaves the grains out: the start fails anyway, in ValidateOnStart, with the setting's name.
    /// </summary>
    public static bool TryRead(IConfiguration configuration, out Action<MiningSiloOptions> configure)
    {
        configure = _ => { };
        try
        {
            var silo = Bind<SiloHostOptions>(configuration, SiloHostOptions.Section);
            var compute = Bind<ComputeOptions>(configuration, ComputeOptions.Section);
            var artifacts = Bind<ArtifactOptions>(configuration, ArtifactOptions.Section);
            if (!ComputeOptions.DTypes.ContainsKey(compute.DType ?? "") || string.IsNullOrWhiteSpace(artifacts.Root))
            {
                return false;
            }

            configure = options =>
            {
                options.IsWorker = silo.Role == SiloRole.Worker;
                options.ArtifactRoot = artifacts.FullRoot;
                options.Runtime = compute.ToRuntimeOptions();
                options.MaxBatchTokens = compute.MaxBatchTokens;
                options.JobReminderPeriod = JobReminderPeriod;
            };
            var probe = new MiningSiloOptions();
            configure(probe);
            probe.Validate();
            return true;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            configure = _ => { };
            return false;
        }
    }

    private static T Bind<T>(IConfiguration configuration, string section)
        where T : new()
    {
        var options = new T();
        configuration.GetSection(section).Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
        return options;
    }
}
