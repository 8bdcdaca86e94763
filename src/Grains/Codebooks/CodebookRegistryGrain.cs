using Mining.Grains.Contracts;
using Mining.Grains.Hosting;

namespace Mining.Grains.Codebooks;

/// <summary>The names of all codebooks.</summary>
public sealed class CodebookRegistryGrain(
    [PersistentState("codebooks", MiningGrainStorage.Name)] IPersistentState<CodebookRegistryState> state) : Grain, ICodebookRegistryGrain
{
    /// <inheritdoc />
    public async Task Register(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var names = state.State.Names;
        var position = names.BinarySearch(name, StringComparer.Ordinal);
        if (position >= 0)
        {
            return;
        }

        names.Insert(~position, name);
        await state.WriteStateAsync();
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> List() => Task.FromResult<IReadOnlyList<string>>(state.State.Names.ToArray());
}
