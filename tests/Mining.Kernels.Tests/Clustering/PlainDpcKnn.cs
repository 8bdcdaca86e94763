namespace Mining.Kernels.Tests.Clustering;

/// <summary>A second DPC-kNN written as plainly as possible (double throughout, full sorts) to check the real one.</summary>
internal static class PlainDpcKnn
{
    public static (double[] Density, double[] Delta, int[] Centres, int[] Assignment) Run(float[] points, int n, int d, int clusters, int k)
    {
        k = Math.Min(k, n);
        clusters = Math.Min(clusters, n);
        var dist = new double[n, n];
        var max = 0.0;
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var sum = 0.0;
                for (var c = 0; c < d; c++)
                {
                    var diff = (double)points[(i * d) + c] - points[(j * d) + c];
                    sum += diff * diff;
                }

                dist[i, j] = Math.Sqrt(sum / d);
                max = Math.Max(max, dist[i, j]);
            }
        }

        var density = new double[n];
        for (var i = 0; i < n; i++)
        {
            var row = Enumerable.Range(0, n).Select(j => dist[i, j]).OrderBy(v => v).Take(k).ToArray();
            density[i] = Math.Exp(-row.Select(v => v * v).Average());
        }

        var delta = new double[n];
        for (var i = 0; i < n; i++)
        {
            delta[i] = max;
            for (var j = 0; j < n; j++)
            {
                var higher = density[j] > density[i] || (density[j] == density[i] && j < i);
                if (higher)
                {
                    delta[i] = Math.Min(delta[i], dist[i, j]);
                }
            }
        }

        var centres = Enumerable.Range(0, n).OrderByDescending(i => delta[i] * density[i]).ThenBy(i => i).Take(clusters).ToArray();
        var assignment = new int[n];
        for (var i = 0; i < n; i++)
        {
            var ci = Array.IndexOf(centres, i);
            assignment[i] = ci >= 0
                ? ci
                : Enumerable.Range(0, clusters).OrderBy(c => dist[i, centres[c]]).ThenBy(c => c).First();
        }

        return (density, delta, centres, assignment);
    }

    public static float[] RandomPoints(int seed, int n, int d)
    {
        var random = new Random(seed);
        var points = new float[n * d];
        for (var i = 0; i < points.Length; i++)
        {
            points[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return points;
    }
}
