namespace Mining.Silo.Hosting;

/// <summary>How a configuration key is spelt where it is set: <c>Mining:Clustering:Provider</c> and <c>MINING__CLUSTERING__PROVIDER</c>.</summary>
public static class SettingName
{
    /// <summary>The environment variable that sets <paramref name="key"/> (sections joined by <c>__</c>, upper case).</summary>
    public static string Environment(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return key.Replace(":", "__", StringComparison.Ordinal).ToUpperInvariant();
    }

    /// <summary>The key and its environment variable, for messages that tell an operator what to set: <c>Mining:X:Y (MINING__X__Y)</c>.</summary>
    public static string Describe(string key) => $"{key} ({Environment(key)})";
}
