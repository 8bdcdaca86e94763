namespace Mining.Silo.Security;

/// <summary>What <see cref="SignedOutSessionsGrain"/> persists: each signed-out session's id and the time its cookie would have expired.</summary>
[GenerateSerializer]
[Alias("Mining.SignedOutSessionsState")]
public sealed record SignedOutSessionsState
{
    /// <summary>Signed-out session ids and when each would have expired; an entry goes once that time has passed.</summary>
    [Id(0)]
    public Dictionary<string, DateTimeOffset> Sessions { get; set; } = [];
}
