using Mining.Grains.Contracts;
using Mining.Grains.Hosting;

namespace Mining.Grains.Registry;

/// <summary>The list of submitted jobs and the names of all codebooks.</summary>
public sealed class RegistryGrain(
    [PersistentState("registry", MiningGrainStorage.Name)] IPersistentState<RegistryState> state) : Grain, IRegistryGrain
{
    /// <inheritdoc />
    public async Task RegisterJob(string jobId)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        var ids = state.State.JobIds;
        if (ids.Contains(jobId, StringComparer.Ordinal))
        {
            return;
        }

        ids.Add(jobId);
        await state.WriteStateAsync();
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListJobs() => Task.FromResult<IReadOnlyList<string>>(state.State.JobIds.ToArray());

    /// <inheritdoc />
    public async Task RegisterCodebook(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var names = state.State.CodebookNames;
        var position = names.BinarySearch(name, StringComparer.Ordinal);
        if (position >= 0)
        {
            return;
        }

        names.Insert(~position, name);
        await state.WriteStateAsync();
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListCodebooks() => Task.FromResult<IReadOnlyList<string>>(state.State.CodebookNames.ToArray());
}
