using Mining.Grains.Contracts;

namespace Mining.Silo.Api;

/// <summary>Progress of one shard of a job, as <c>GET /jobs/{id}</c> shows it.</summary>
/// <param name="Index">The shard's index.</param>
/// <param name="State">Where the shard is.</param>
/// <param name="Images">Images in the shard.</param>
/// <param name="Done">Images with a stored result (failed ones included).</param>
/// <param name="Failed">Of those, images that failed.</param>
/// <param name="Silo">The silo that mines it (absent before it starts).</param>
/// <param name="Error">The last fault, if any (the shard retries).</param>
/// <param name="Attempts">Attempts on the image in hand.</param>
/// <param name="VariantsScored">Variants the model scored for the shard's images so far.</param>
public sealed record ShardView(int Index, ShardState State, int Images, int Done, int Failed, string? Silo, string? Error, int Attempts, long VariantsScored)
{
    /// <summary>The view of <paramref name="status"/>.</summary>
    public static ShardView From(ShardStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return new ShardView(status.ShardIndex, status.State, status.Images, status.Done, status.Failed, status.Silo, status.Error, status.Attempts, status.VariantsScored);
    }
}
