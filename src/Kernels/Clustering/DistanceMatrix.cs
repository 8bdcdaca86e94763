namespace Mining.Kernels.Clustering;

/// <summary>The full n×n matrix of DPC-kNN distances, Euclidean / √d, computed once.</summary>
internal sealed class DistanceMatrix
{
    // Rows are compared tile by tile so both tiles stay in cache; 16 rows of 4096 floats are 256 KiB.
    private const int Tile = 16;

    private readonly float[] values;

    private DistanceMatrix(float[] values, int count, float max)
    {
        this.values = values;
        Count = count;
        Max = max;
    }

    /// <summary>Number of points (rows and columns).</summary>
    public int Count { get; }

    /// <summary>The largest distance over the whole matrix (0 for fewer than two points).</summary>
    public float Max { get; }

    /// <summary>Distance between points <paramref name="i"/> and <paramref name="j"/>.</summary>
    public float this[int i, int j] => values[((long)i * Count) + j];

    /// <summary>Row <paramref name="i"/>: the distances from point <paramref name="i"/> to every point.</summary>
    public ReadOnlySpan<float> Row(int i) => values.AsSpan((int)((long)i * Count), Count);

    /// <summary>The DPC-kNN distance from a squared Euclidean distance and the scale 1/d; every path rounds it this way.</summary>
    public static float FromSquared(double squaredDistance, double scale) => (float)Math.Sqrt(squaredDistance * scale);

    /// <summary>
    /// Distances between the rows of <paramref name="points"/> (row-major n×d). Each cell is computed by exactly
    /// one task and written to fixed positions, so the matrix is identical whatever the thread count.
    /// </summary>
    public static DistanceMatrix Compute(float[] points, int n, int d)
    {
        if ((long)n * n > Array.MaxLength)
        {
            throw new ArgumentException($"{n} points need a {n}×{n} distance matrix, more than one array holds", nameof(n));
        }

        var values = new float[n * n];
        var tiles = (n + Tile - 1) / Tile;
        var scale = 1.0 / d;
        Parallel.For(0, tiles, ti =>
        {
            var iStart = ti * Tile;
            var iEnd = Math.Min(n, iStart + Tile);
            for (var tj = ti; tj < tiles; tj++)
            {
                var jStart = tj * Tile;
                var jEnd = Math.Min(n, jStart + Tile);
                for (var i = iStart; i < iEnd; i++)
                {
                    var a = points.AsSpan(i * d, d);
                    for (var j = Math.Max(jStart, i + 1); j < jEnd; j++)
                    {
                        var distance = FromSquared(RowArithmetic.SquaredDistance(a, points.AsSpan(j * d, d)), scale);
                        values[((long)i * n) + j] = distance;
                        values[((long)j * n) + i] = distance;
                    }
                }
            }
        });

        var max = 0f;
        foreach (var value in values)
        {
            max = Math.Max(max, value);
        }

        return new DistanceMatrix(values, n, max);
    }
}
