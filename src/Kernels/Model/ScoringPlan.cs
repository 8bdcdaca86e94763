namespace Mining.Kernels.Model;

/// <summary>How a scoring call runs: batches that continue the shared prompt-prefix cache, then per request a trunk and its branches.</summary>
public sealed record ScoringPlan(IReadOnlyList<PlannedBatch> Packed, IReadOnlyList<PlannedTrunk> Trunks)
{
    /// <summary>Forward calls the plan makes (the prefix cache, computed once per model, not counted).</summary>
    public int ForwardCalls => Packed.Count + Trunks.Sum(trunk => 1 + trunk.Branches.Count);
}
