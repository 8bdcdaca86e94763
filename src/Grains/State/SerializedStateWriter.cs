namespace Mining.Grains.State;

/// <summary>
/// Writes a reentrant grain's persistent state one write at a time: interleaved calls would otherwise race on the
/// storage ETag and one of them would fail with an inconsistent-state error.
/// </summary>
public sealed class SerializedStateWriter<TState>(IPersistentState<TState> state)
{
    private readonly SemaphoreSlim gate = new(1, 1);

    /// <summary>Writes the current state after any write in progress has finished.</summary>
    public async Task WriteAsync()
    {
        await gate.WaitAsync();
        try
        {
            await state.WriteStateAsync();
        }
        finally
        {
            gate.Release();
        }
    }
}
