using Mining.Grains.Shards;
using Orleans.Runtime.Placement;

namespace Mining.Grains.Placement;

/// <summary>
/// Puts shard i of a job on compatible silo (offset(job) + i) mod n, the compatible silos (workers, after
/// <see cref="WorkerPlacementFilterDirector"/>) ordered by address, offset(job) a stable hash of the job id. A job
/// activates all its shards within milliseconds, faster than silos' load statistics change; Orleans' load-based
/// placements then put every shard of a job on one worker while the others idled. Placing by index spreads a job's
/// shards evenly, and the hash keeps small jobs from all starting on the same silo. A shard reactivated after its
/// silo died is placed the same way among the silos that remain.
/// </summary>
public sealed class ShardSpreadPlacementDirector : IPlacementDirector
{
    /// <inheritdoc />
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var silos = context.GetCompatibleSilos(target).OrderBy(silo => silo.ToParsableString(), StringComparer.Ordinal).ToArray();
        if (silos.Length == 0)
        {
            throw new OrleansException($"no worker silo can host {target.GrainIdentity}: the cluster has no silo with role=worker");
        }

        var (jobId, shardIndex) = ShardKey.Parse(target.GrainIdentity.Key.ToString()!);
        var slot = (int)((StableHash(jobId) + (ulong)shardIndex) % (ulong)silos.Length);
        return Task.FromResult(silos[slot]);
    }

    /// <summary>FNV-1a over the id's UTF-16 code units: the same on every silo and in every process, unlike string.GetHashCode.</summary>
    private static ulong StableHash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }
}
