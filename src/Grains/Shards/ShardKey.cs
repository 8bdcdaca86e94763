using System.Globalization;

namespace Mining.Grains.Shards;

/// <summary>An image shard grain's key: <c>{jobId}/{shardIndex}</c>.</summary>
public static class ShardKey
{
    /// <summary>The key of shard <paramref name="shardIndex"/> of <paramref name="jobId"/>.</summary>
    public static string Format(string jobId, int shardIndex)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        ArgumentOutOfRangeException.ThrowIfNegative(shardIndex);
        return $"{jobId}/{shardIndex.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>Splits <paramref name="key"/> at its last '/'; <see cref="FormatException"/> naming the key if it is not a shard key.</summary>
    public static (string JobId, int ShardIndex) Parse(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var slash = key.LastIndexOf('/');
        return slash > 0 && int.TryParse(key.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? (key[..slash], index)
            : throw new FormatException($"image shard key '{key}' is not '{{jobId}}/{{shardIndex}}'");
    }
}
