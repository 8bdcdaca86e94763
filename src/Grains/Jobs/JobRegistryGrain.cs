using Mining.Grains.Contracts;
using Mining.Grains.Hosting;

namespace Mining.Grains.Jobs;

/// <summary>The list of submitted jobs.</summary>
public sealed class JobRegistryGrain(
    [PersistentState("jobs", MiningGrainStorage.Name)] IPersistentState<JobRegistryState> state) : Grain, IJobRegistryGrain
{
    /// <inheritdoc />
    public async Task Register(string jobId)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        if (state.State.JobIds.Contains(jobId, StringComparer.Ordinal))
        {
            return;
        }

        state.State.JobIds.Add(jobId);
        await state.WriteStateAsync();
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> List() => Task.FromResult<IReadOnlyList<string>>(state.State.JobIds.ToArray());
}
