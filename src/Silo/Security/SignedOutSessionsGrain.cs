using Mining.Grains.Hosting;

namespace Mining.Silo.Security;

/// <summary>
/// The signed-out sessions, in grain storage so that they outlive the activation and its silo. A session is listed
/// only until its cookie would have expired anyway, and expired entries are dropped at every sign-out and activation,
/// so the list holds at most the sign-outs of one session lifetime.
/// </summary>
public sealed class SignedOutSessionsGrain(
    [PersistentState("signed-out-sessions", MiningGrainStorage.Name)] IPersistentState<SignedOutSessionsState> state,
    TimeProvider time) : Grain, ISignedOutSessionsGrain
{
    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (DropExpired())
        {
            await state.WriteStateAsync(cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task SignOut(string sessionId, DateTimeOffset expires)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        DropExpired();
        if (expires > time.GetUtcNow())
        {
            state.State.Sessions[sessionId] = expires;
        }

        await state.WriteStateAsync();
    }

    /// <inheritdoc />
    public Task<bool> IsSignedOut(string sessionId) =>
        Task.FromResult(state.State.Sessions.TryGetValue(sessionId, out var expires) && expires > time.GetUtcNow());

    private bool DropExpired()
    {
        var now = time.GetUtcNow();
        var expired = state.State.Sessions.Where(s => s.Value <= now).Select(s => s.Key).ToList();
        foreach (var id in expired)
        {
            state.State.Sessions.Remove(id);
        }

        return expired.Count > 0;
    }
}
