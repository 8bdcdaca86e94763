using System.Diagnostics;
using Mining.Kernels.Runtime;
using TorchSharp;

namespace Mining.Kernels.Clustering;

/// <summary>DPC-kNN without the n×n distance matrix, bit-identical to <see cref="DpcKnn.ClusterDense"/>.</summary>
/// <remarks>
/// Every distance the result depends on is computed exactly as the dense path computes it
/// (<see cref="RowArithmetic.SquaredDistance"/>, then <see cref="DistanceMatrix.FromSquared"/>); a float32 GEMM over
/// mean-centred rows only <i>estimates</i> distances, and <see cref="SquaredDistanceBounds"/> turns each estimate
/// into an interval that provably holds the exact value. A pair is computed exactly whenever its interval could
/// change a decision, so density, δ, score, centres and assignment carry the same bits as the dense path's; where
/// the estimates cannot settle a point, that point is scanned again against all points (the rarer, the more
/// candidates are kept).
/// <list type="number">
/// <item>First pass, the only O(n²·d) step: for each tile of the upper block triangle, one GEMM; each point keeps
/// its <see cref="BlockedDpcKnnOptions.Candidates"/> smallest estimates (<see cref="NearestCandidates"/>) and its
/// largest.</item>
/// <item>Density: the exact k − 1 nearest others among the candidates, walked in estimate order until no later
/// candidate can be nearer; settled if no point left out can be nearer either.</item>
/// <item>δ: the nearest denser point among the candidates, settled the same way. The densest point's δ is the
/// largest distance, found exactly among the pairs whose interval reaches the largest lower bound.</item>
/// <item>Centres as in the dense path; assignment from GEMM estimates to the C centres, with exact distances for
/// every centre that could be nearest (or tie after rounding to float32).</item>
/// </list>
/// Memory besides the caller's n×d input: O(n·candidates) for the lists, O(block² + block·d) for a tile and its two
/// operand blocks, and at most 256 MiB of full rows during second scans.
/// </remarks>
public sealed class BlockedDpcKnn
{
    // Second scans hold their rows' products with every point: at most this many floats at once (256 MiB).
    private const long RescanFloats = 1L << 26;

    // Assignment's products with the centres: at most this many floats per group of rows (64 MiB).
    private const long AssignmentFloats = 1L << 24;

    // A centre whose lower bound exceeds the best upper bound by this factor is strictly farther even after the
    // float32 rounding of the distance: the square root halves the margin to 2⁻²¹, above float32's relative step 2⁻²³.
    private const double StrictMargin = 1.0 / (1 << 20);

    private readonly float[] points;
    private readonly int n;
    private readonly int d;
    private readonly int k;
    private readonly double scale;
    private readonly CentredRows rows;
    private readonly SquaredDistanceBounds bounds;
    private readonly NearestCandidates candidates;
    private readonly bool complete;
    private readonly double[] farthest;
    private readonly double[] density;
    private readonly double[] delta;
    private long exactCount;

    private BlockedDpcKnn(float[] points, int n, int d, int k, BlockedDpcKnnOptions options)
    {
        this.points = points;
        this.n = n;
        this.d = d;
        this.k = k;
        scale = 1.0 / d;
        rows = CentredRows.Create(points, n, d, Math.Min(options.BlockRows, n));
        bounds = new SquaredDistanceBounds(d, rows.Norms);
        var capacity = Math.Min(n - 1, Math.Max(options.Candidates, k - 1));
        candidates = new NearestCandidates(n, capacity);
        complete = capacity == n - 1;
        farthest = new double[n];
        Array.Fill(farthest, double.NegativeInfinity);
        density = new double[n];
        delta = new double[n];
    }

    /// <summary>Clusters as <see cref="DpcKnn.Cluster"/> does, blocked, and says how much exact work it needed.</summary>
    public static (DpcKnnResult Result, BlockedDpcKnnStats Stats) Run(float[] points, int n, int d, int clusters, int k, BlockedDpcKnnOptions? options = null)
    {
        DpcKnn.Validate(points, n, d, clusters, k);
        options ??= new BlockedDpcKnnOptions();
        options.Validate();
        if (n == 0)
        {
            return (DpcKnn.Empty(), new BlockedDpcKnnStats(0, 0, 0, 0, 0, 0, 0));
        }

        TorchRuntime.EnsureLoaded();
        return new BlockedDpcKnn(points, n, d, Math.Min(k, n), options).Execute(Math.Min(clusters, n), options.Progress);
    }

    private (DpcKnnResult, BlockedDpcKnnStats) Execute(int clusters, IProgress<double>? progress)
    {
        var clock = Stopwatch.StartNew();
        var tiles = FirstPass(progress);
        var firstPassSeconds = clock.Elapsed.TotalSeconds;

        var densityRescans = Unsettled(TryDensityFromCandidates);
        Rescan(densityRescans, (i, dots) => density[i] = DensityFromRow(i, dots));

        var densest = 0;
        for (var i = 1; i < n; i++)
        {
            if (DpcKnn.IsHigher(density, i, densest))
            {
                densest = i;
            }
        }

        var deltaRescans = Unsettled(i => i == densest || TryDeltaFromCandidates(i));
        var maximumRescans = MaximumCandidates(out var maximumLower);
        var farthestExact = new double[n];
        var isDeltaRescan = new bool[n];
        var isMaximumRescan = new bool[n];
        deltaRescans.ForEach(i => isDeltaRescan[i] = true);
        maximumRescans.ForEach(i => isMaximumRescan[i] = true);
        Rescan([.. deltaRescans.Union(maximumRescans).Order()], (i, dots) =>
        {
            if (isDeltaRescan[i])
            {
                delta[i] = DeltaFromRow(i, dots);
            }

            if (isMaximumRescan[i])
            {
                farthestExact[i] = FarthestFromRow(i, dots, maximumLower);
            }
        });

        var maximum = 0.0;
        foreach (var i in maximumRescans)
        {
            maximum = Math.Max(maximum, farthestExact[i]);
        }

        delta[densest] = DistanceMatrix.FromSquared(maximum, scale);
        var score = DpcKnn.Scores(density, delta);
        var centres = DpcKnn.Centres(score, clusters);
        var assignment = Assign(centres);
        var stats = new BlockedDpcKnnStats(
            tiles,
            candidates.Capacity,
            densityRescans.Count,
            deltaRescans.Count,
            maximumRescans.Count,
            Interlocked.Read(ref exactCount),
            firstPassSeconds);
        return (new DpcKnnResult(assignment, centres, density, delta, score), stats);
    }

    private long FirstPass(IProgress<double>? progress)
    {
        var blocks = rows.BlockCount;
        var total = (long)blocks * (blocks + 1) / 2;
        var tile = new float[(long)rows.BlockRows * rows.BlockRows];
        long done = 0;
        for (var bi = 0; bi < blocks; bi++)
        {
            using var left = rows.Block(bi);
            for (var bj = bi; bj < blocks; bj++)
            {
                using (var right = bj == bi ? null : rows.Block(bj))
                {
                    CentredRows.Products(left, right ?? left, tile);
                }

                ScanRows(bi, bj, tile);
                if (bj != bi)
                {
                    ScanColumns(bi, bj, tile);
                }

                progress?.Report(++done / (double)total);
            }
        }

        return total;
    }

    /// <summary>Offers tile (bi, bj)'s estimates to the rows of block bi.</summary>
    private void ScanRows(int bi, int bj, float[] tile)
    {
        var norms = rows.Norms;
        int iStart = rows.BlockStart(bi), jStart = rows.BlockStart(bj), width = rows.BlockLength(bj);
        Parallel.For(0, rows.BlockLength(bi), r =>
        {
            var i = iStart + r;
            var norm = norms[i];
            var threshold = candidates.Threshold(i);
            var far = farthest[i];
            var products = tile.AsSpan(r * width, width);
            for (var c = 0; c < products.Length; c++)
            {
                var j = jStart + c;
                if (j == i)
                {
                    continue;
                }

                var estimate = norm + norms[j] - (2.0 * products[c]);
                far = Math.Max(far, estimate);
                if (estimate < threshold)
                {
                    candidates.Offer(i, j, estimate);
                    threshold = candidates.Threshold(i);
                }
            }

            farthest[i] = far;
        });
    }

    /// <summary>Offers tile (bi, bj)'s estimates to the rows of block bj (bj ≠ bi), a strip of columns per task.</summary>
    private void ScanColumns(int bi, int bj, float[] tile)
    {
        const int Strip = 64;
        var norms = rows.Norms;
        int iStart = rows.BlockStart(bi), height = rows.BlockLength(bi), jStart = rows.BlockStart(bj), width = rows.BlockLength(bj);
        Parallel.For(0, (width + Strip - 1) / Strip, strip =>
        {
            var first = strip * Strip;
            var count = Math.Min(Strip, width - first);
            Span<double> thresholds = stackalloc double[Strip];
            Span<double> far = stackalloc double[Strip];
            for (var c = 0; c < count; c++)
            {
                thresholds[c] = candidates.Threshold(jStart + first + c);
                far[c] = farthest[jStart + first + c];
            }

            for (var r = 0; r < height; r++)
            {
                var i = iStart + r;
                var norm = norms[i];
                var products = tile.AsSpan((r * width) + first, count);
                for (var c = 0; c < count; c++)
                {
                    var j = jStart + first + c;
                    var estimate = norm + norms[j] - (2.0 * products[c]);
                    far[c] = Math.Max(far[c], estimate);
                    if (estimate < thresholds[c])
                    {
                        candidates.Offer(j, i, estimate);
                        thresholds[c] = candidates.Threshold(j);
                    }
                }
            }

            for (var c = 0; c < count; c++)
            {
                farthest[jStart + first + c] = far[c];
            }
        });
    }

    /// <summary>The points for which <paramref name="settle"/> returns false, ascending.</summary>
    private List<int> Unsettled(Func<int, bool> settle)
    {
        var unsettled = new bool[n];
        Parallel.For(0, n, i => unsettled[i] = !settle(i));
        var list = new List<int>();
        for (var i = 0; i < n; i++)
        {
            if (unsettled[i])
            {
                list.Add(i);
            }
        }

        return list;
    }

    /// <summary>A lower bound on every exact distance from <paramref name="i"/> to a point not among its candidates (+∞ if none is left out).</summary>
    private double LeftOutLower(int i, double slack) =>
        complete ? double.PositiveInfinity : bounds.Lower(candidates.Estimate(i, candidates.Capacity - 1), slack);

    private bool TryDensityFromCandidates(int i)
    {
        var others = k - 1;
        var nearest = new double[others];
        var filled = 0;
        var slack = bounds.Slack(i);
        for (var slot = 0; others > 0 && slot < candidates.Count(i); slot++)
        {
            if (filled == others && bounds.Lower(candidates.Estimate(i, slot), slack) >= nearest[others - 1])
            {
                break;
            }

            Insert(nearest, ref filled, candidates.Exact(i, slot, Exact));
        }

        if (others > 0 && nearest[others - 1] > LeftOutLower(i, slack))
        {
            return false;
        }

        density[i] = DensityFromNearest(nearest);
        return true;
    }

    private double DensityFromRow(int i, ReadOnlySpan<float> dots)
    {
        var others = k - 1;
        var slack = bounds.Slack(i);
        var smallest = new double[others];
        var filled = 0;
        for (var j = 0; j < n; j++)
        {
            if (j != i)
            {
                Insert(smallest, ref filled, Estimate(i, j, dots));
            }
        }

        // Every point whose interval starts below the (k−1)-th smallest upper bound may be among the k − 1 nearest.
        var reach = bounds.Upper(smallest[others - 1], slack);
        var nearest = new double[others];
        filled = 0;
        foreach (var (estimate, j) in Reachable(i, dots, (j, estimate) => j != i && bounds.Lower(estimate, slack) <= reach))
        {
            if (filled == others && bounds.Lower(estimate, slack) >= nearest[others - 1])
            {
                break;
            }

            Insert(nearest, ref filled, Exact(i, j));
        }

        return DensityFromNearest(nearest);
    }

    /// <summary>Density from the exact squared distances to the k − 1 nearest others, ascending; the point itself is the first, at 0.</summary>
    private double DensityFromNearest(double[] nearestSquared)
    {
        var distances = new float[nearestSquared.Length + 1];
        for (var m = 0; m < nearestSquared.Length; m++)
        {
            distances[m + 1] = DistanceMatrix.FromSquared(nearestSquared[m], scale);
        }

        return DpcKnn.DensityOf(distances);
    }

    private bool TryDeltaFromCandidates(int i)
    {
        var slack = bounds.Slack(i);
        var best = double.PositiveInfinity;
        for (var slot = 0; slot < candidates.Count(i); slot++)
        {
            if (bounds.Lower(candidates.Estimate(i, slot), slack) >= best)
            {
                break;
            }

            if (DpcKnn.IsHigher(density, candidates.Index(i, slot), i))
            {
                best = Math.Min(best, candidates.Exact(i, slot, Exact));
            }
        }

        if (double.IsPositiveInfinity(best) || best > LeftOutLower(i, slack))
        {
            return false;
        }

        delta[i] = DistanceMatrix.FromSquared(best, scale);
        return true;
    }

    private double DeltaFromRow(int i, ReadOnlySpan<float> dots)
    {
        var slack = bounds.Slack(i);
        var nearestEstimate = double.PositiveInfinity;
        for (var j = 0; j < n; j++)
        {
            if (DpcKnn.IsHigher(density, j, i))
            {
                nearestEstimate = Math.Min(nearestEstimate, Estimate(i, j, dots));
            }
        }

        var reach = bounds.Upper(nearestEstimate, slack);
        var best = double.PositiveInfinity;
        foreach (var (estimate, j) in Reachable(i, dots, (j, estimate) => DpcKnn.IsHigher(density, j, i) && bounds.Lower(estimate, slack) <= reach))
        {
            if (bounds.Lower(estimate, slack) >= best)
            {
                break;
            }

            best = Math.Min(best, Exact(i, j));
        }

        return DistanceMatrix.FromSquared(best, scale);
    }

    /// <summary>
    /// The points whose rows may hold the largest exact distance: the largest lower bound over all pairs,
    /// <paramref name="lower"/>, is reached by some pair, so only rows whose largest upper bound reaches it can beat it.
    /// </summary>
    private List<int> MaximumCandidates(out double lower)
    {
        lower = 0;
        for (var i = 0; i < n; i++)
        {
            lower = Math.Max(lower, bounds.Lower(farthest[i], bounds.Slack(i)));
        }

        var reach = lower;
        return Unsettled(i => bounds.Upper(farthest[i], bounds.Slack(i)) < reach);
    }

    /// <summary>The largest exact squared distance from <paramref name="i"/> among pairs whose upper bound reaches <paramref name="lower"/>.</summary>
    private double FarthestFromRow(int i, ReadOnlySpan<float> dots, double lower)
    {
        var slack = bounds.Slack(i);
        var reachable = Reachable(i, dots, (j, estimate) => j != i && bounds.Upper(estimate, slack) >= lower);
        var best = 0.0;
        for (var m = reachable.Count - 1; m >= 0; m--)
        {
            var (estimate, j) = reachable[m];
            if (bounds.Upper(estimate, slack) <= best)
            {
                break;
            }

            best = Math.Max(best, Exact(i, j));
        }

        return best;
    }

    /// <summary>The points <paramref name="include"/> accepts, with their estimates, by ascending estimate (then index).</summary>
    private List<(double Estimate, int Index)> Reachable(int i, ReadOnlySpan<float> dots, Func<int, double, bool> include)
    {
        var list = new List<(double, int)>();
        for (var j = 0; j < n; j++)
        {
            var estimate = Estimate(i, j, dots);
            if (include(j, estimate))
            {
                list.Add((estimate, j));
            }
        }

        list.Sort();
        return list;
    }

    private int[] Assign(int[] centres)
    {
        var norms = rows.Norms;
        var count = centres.Length;
        var assignment = new int[n];
        var group = (int)Math.Clamp(AssignmentFloats / count, 1, rows.BlockRows);
        var products = new float[(long)group * count];
        var tile = new float[(long)group * rows.BlockRows];
        for (var start = 0; start < n; start += group)
        {
            var length = Math.Min(group, n - start);
            using (var block = rows.Slice(start, length))
            {
                ProductsWith(block, length, centres, products, tile);
            }

            var first = start;
            Parallel.For(0, length, r =>
            {
                var i = first + r;
                var slack = bounds.Slack(i);
                var dots = products.AsSpan(r * count, count);
                var reach = double.PositiveInfinity;
                for (var c = 0; c < count; c++)
                {
                    reach = Math.Min(reach, bounds.Upper(norms[i] + norms[centres[c]] - (2.0 * dots[c]), slack));
                }

                reach *= 1 + StrictMargin;
                var best = -1;
                var bestDistance = float.PositiveInfinity;
                for (var c = 0; c < count; c++)
                {
                    if (bounds.Lower(norms[i] + norms[centres[c]] - (2.0 * dots[c]), slack) > reach)
                    {
                        continue;
                    }

                    var distance = DistanceMatrix.FromSquared(Exact(i, centres[c]), scale);
                    if (best < 0 || distance < bestDistance)
                    {
                        best = c;
                        bestDistance = distance;
                    }
                }

                assignment[i] = best;
            });
        }

        for (var c = 0; c < count; c++)
        {
            assignment[centres[c]] = c;
        }

        return assignment;
    }

    /// <summary>
    /// Scans each of <paramref name="scanned"/> against all points: products with every point, a group of rows at a
    /// time, then <paramref name="visit"/> per row with that row's n products.
    /// </summary>
    private void Rescan(List<int> scanned, RowVisitor visit)
    {
        if (scanned.Count == 0)
        {
            return;
        }

        var group = (int)Math.Min(Math.Clamp(RescanFloats / n, 1, rows.BlockRows), scanned.Count);
        var full = new float[(long)group * n];
        var tile = new float[(long)group * rows.BlockRows];
        for (var first = 0; first < scanned.Count; first += group)
        {
            var members = scanned.GetRange(first, Math.Min(group, scanned.Count - first));
            using (var left = rows.Rows(members))
            {
                ProductsWith(left, members.Count, null, full, tile);
            }

            Parallel.For(0, members.Count, g => visit(members[g], full.AsSpan(g * n, n)));
        }
    }

    /// <summary>
    /// Writes the products of the <paramref name="height"/> rows of <paramref name="left"/> with the points
    /// <paramref name="columns"/> (all points when null) row-major into <paramref name="products"/>, a block of
    /// columns at a time through <paramref name="tile"/>.
    /// </summary>
    private void ProductsWith(torch.Tensor left, int height, int[]? columns, float[] products, float[] tile)
    {
        var width = columns?.Length ?? n;
        for (var start = 0; start < width; start += rows.BlockRows)
        {
            var length = Math.Min(rows.BlockRows, width - start);
            using (var right = columns is null ? rows.Slice(start, length) : rows.Rows(new ArraySegment<int>(columns, start, length)))
            {
                CentredRows.Products(left, right, tile);
            }

            for (var g = 0; g < height; g++)
            {
                Array.Copy(tile, (long)g * length, products, ((long)g * width) + start, length);
            }
        }
    }

    private double Estimate(int i, int j, ReadOnlySpan<float> dots) => rows.Norms[i] + rows.Norms[j] - (2.0 * dots[j]);

    private double Exact(int i, int j)
    {
        Interlocked.Increment(ref exactCount);
        return RowArithmetic.SquaredDistance(points.AsSpan(i * d, d), points.AsSpan(j * d, d));
    }

    /// <summary>Inserts <paramref name="value"/> into the ascending buffer of the smallest values seen, if it belongs there.</summary>
    private static void Insert(double[] smallest, ref int filled, double value)
    {
        if (smallest.Length == 0 || (filled == smallest.Length && value >= smallest[^1]))
        {
            return;
        }

        var slot = filled < smallest.Length ? filled++ : smallest.Length - 1;
        while (slot > 0 && smallest[slot - 1] > value)
        {
            smallest[slot] = smallest[slot - 1];
            slot--;
        }

        smallest[slot] = value;
    }

    private delegate void RowVisitor(int row, ReadOnlySpan<float> dots);
}
