namespace Mining.Kernels.Model;

/// <summary>How the first-token engine trades batch count against padding and recomputation.</summary>
/// <param name="BranchMinimum">
/// A variant whose first visual tokens are the image's tokens 0, 1, …, m−1 continues the image's trunk cache when
/// m ≥ this; below it, the saving does not pay for leaving the length-sorted batches. Experiment variants: only the
/// global leave-one-out ones (m = the window's first index) and the baseline reach it; single and regional ones hold
/// at most 9 tokens.
/// </param>
/// <param name="CallCostTokens">
/// What one more forward call costs, in padded positions: the batch partition minimises padded positions plus this
/// per call. Larger values give fewer, larger batches (better GEMM shapes) at the cost of more padding or recomputation.
/// </param>
public sealed record EngineOptions(int BranchMinimum = 16, int CallCostTokens = 256)
{
    /// <summary>The defaults.</summary>
    public static EngineOptions Default { get; } = new();

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        if (BranchMinimum < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(BranchMinimum), BranchMinimum, "the branch minimum must be at least 1 visual token");
        }

        if (CallCostTokens < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(CallCostTokens), CallCostTokens, "the call cost must not be negative");
        }
    }
}
