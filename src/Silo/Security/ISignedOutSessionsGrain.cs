using Orleans.Concurrency;

namespace Mining.Silo.Security;

/// <summary>
/// The Mining page sign-ins that were signed out before they expired (a single grain, key 0), so that every gateway of
/// the cluster refuses a signed-out cookie, whichever gateway the sign-out went to.
/// </summary>
[Alias("Mining.ISignedOutSessionsGrain")]
public interface ISignedOutSessionsGrain : IGrainWithIntegerKey
{
    /// <summary>Records that the session <paramref name="sessionId"/>, which would have lasted until <paramref name="expires"/>, is signed out.</summary>
    [Alias("SignOut")]
    Task SignOut(string sessionId, DateTimeOffset expires);

    /// <summary>Whether the session <paramref name="sessionId"/> was signed out.</summary>
    [Alias("IsSignedOut")]
    [ReadOnly]
    Task<bool> IsSignedOut(string sessionId);
}
