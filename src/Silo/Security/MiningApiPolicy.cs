namespace Mining.Silo.Security;

/// <summary>The authorization policy of everything the gateway serves behind an API key (API, dashboards, metrics).</summary>
public static class MiningApiPolicy
{
    /// <summary>The policy's name: an authenticated caller of <see cref="ApiKeyAuthenticationHandler.SchemeName"/>.</summary>
    public const string Name = "MiningApiKey";
}
