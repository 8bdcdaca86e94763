namespace Mining.Kernels.Clustering;

/// <summary>
/// Intervals that provably contain <see cref="RowArithmetic.SquaredDistance"/> of a pair, given the pair's GEMM
/// estimate ‖a‖² + ‖b‖² − 2a·b over mean-centred float32 rows.
/// </summary>
/// <remarks>
/// With u = 2⁻²⁴ (float32's unit roundoff) and S the exact squared distance of the float inputs:
/// <list type="bullet">
/// <item>the exact path sums (a−b)² in float lanes of m = ⌊d/16⌋ terms, then in double, so it is within
/// (m + 2)·u·S of S (Higham, <i>Accuracy and Stability of Numerical Algorithms</i>, §4.2, for non-negative terms);</item>
/// <item>the estimate works on centred rows rounded to float32 (each element within u of the exact centred value,
/// moving S by at most ≈ 4u·(‖a‖² + ‖b‖²)), and a float32 dot product of length d is within γ_d·Σ|a_k b_k|
/// ≤ γ_d·(‖a‖² + ‖b‖²)/2 of the exact one, γ_d = d·u / (1 − d·u) (Higham §3.1; any summation order, any blocking);
/// norms and the final sum are in double, which adds only ~d·2⁻⁵³ relative.</item>
/// </list>
/// Each constant below is twice its bound, so no rounding in this reasoning can decide a comparison.
/// The intervals are monotone in the estimate for a fixed row, which lets a sorted candidate list stop early.
/// </remarks>
internal sealed class SquaredDistanceBounds
{
    private const double Unit = 1.0 / (1 << 24);

    private readonly double[] norms;
    private readonly double maxNorm;
    private readonly double estimateError;
    private readonly double exactError;

    /// <summary>Bounds for rows of length <paramref name="d"/> whose centred squared norms are <paramref name="norms"/>.</summary>
    public SquaredDistanceBounds(int d, double[] norms)
    {
        if (d * Unit >= 0.25)
        {
            throw new ArgumentOutOfRangeException(nameof(d), d, "rows this long make a float32 dot product's error bound vacuous; use the dense path");
        }

        this.norms = norms;
        maxNorm = norms.Length == 0 ? 0 : norms.Max();
        var gamma = d * Unit / (1 - (d * Unit));
        estimateError = 2 * (gamma + (6 * Unit));
        exactError = 2 * (((d / 16) + 4) * Unit);
    }

    /// <summary>How far the estimate of any pair involving row <paramref name="i"/> can be from the exact S.</summary>
    public double Slack(int i) => estimateError * (norms[i] + maxNorm);

    /// <summary>A value the exact squared distance is never below.</summary>
    public double Lower(double estimate, double slack) => Math.Max(0, estimate - slack) * (1 - exactError);

    /// <summary>A value the exact squared distance is never above.</summary>
    public double Upper(double estimate, double slack) => (estimate + slack) * (1 + exactError);
}
