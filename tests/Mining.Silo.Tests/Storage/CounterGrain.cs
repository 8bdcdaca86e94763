namespace Mining.Silo.Tests.Storage;

/// <summary>Persists its count with <c>[PersistentState]</c> in the default grain storage.</summary>
public sealed class CounterGrain([PersistentState("counter")] IPersistentState<CounterState> counter) : Grain, ICounterGrain
{
    private readonly Guid activation = Guid.NewGuid();

    /// <inheritdoc />
    public async Task Increment(string note)
    {
        counter.State.Count++;
        counter.State.Notes.Add(note);
        await counter.WriteStateAsync();
    }

    /// <inheritdoc />
    public Task<CounterReading> Read() =>
        Task.FromResult(new CounterReading(activation, counter.State.Count, [.. counter.State.Notes], counter.RecordExists, counter.Etag));
}
