using Mining.Kernels.Experiments;

namespace Mining.Kernels.Tests.Experiments;

public sealed class DivergenceTests
{
    [Fact]
    public void Jsd_matches_hand_arithmetic_on_two_entries()
    {
        // P = softmax(ln 3, 0) = (3/4, 1/4); Q = softmax(0, 0) = (1/2, 1/2); M = (5/8, 3/8).
        float[] unablated = [MathF.Log(3f), 0f, -5f];
        float[] ablated = [0f, 0f, 7f];
        var klP = 5.0 / 8 * Math.Log(5.0 / 6) + 3.0 / 8 * Math.Log(3.0 / 2);
        var klQ = 5.0 / 8 * Math.Log(5.0 / 4) + 3.0 / 8 * Math.Log(3.0 / 4);
        var expected = 0.5 * (klP / 2) + 0.5 * (klQ / 2);

        Assert.Equal(expected, Divergence.Jsd(unablated, ablated, 2), 1e-7);
    }

    [Fact]
    public void Jsd_is_the_mean_over_the_top_ten_not_the_sum()
    {
        var (a, b) = RandomPair(seed: 1, length: 200);
        var sum = PlainSumOfHalfKls(a, b, TopTenIndices(a));

        var jsd = Divergence.Jsd(a, b, 10);

        Assert.Equal(sum / 10, jsd, 1e-12);
        Assert.True(Math.Abs(jsd - sum) > 1e-6, $"jsd {jsd} must differ from the sum {sum}");
    }

    [Fact]
    public void Jsd_takes_its_indices_from_the_unablated_argument()
    {
        float[] a = [3f, 2f, 1f, 0f];
        float[] b = [0f, 1f, 5f, 3f];

        // Jsd(a, b): indices {0, 1} -> a gives (3, 2), b gives (0, 1). Jsd(b, a): indices {2, 3} -> (5, 3) vs (1, 0).
        var forward = Divergence.Jsd(a, b, 2);
        var backward = Divergence.Jsd(b, a, 2);

        Assert.Equal(HandJsd([3, 2], [0, 1]), forward, 1e-7);
        Assert.Equal(HandJsd([5, 3], [1, 0]), backward, 1e-7);
        Assert.True(Math.Abs(forward - backward) > 1e-4, $"swapping the arguments must change the value ({forward} vs {backward})");
    }

    [Fact]
    public void Jsd_of_identical_logits_is_zero()
    {
        var (a, _) = RandomPair(seed: 2, length: 448);
        Assert.Equal(0.0, Divergence.Jsd(a, (float[])a.Clone(), 10));
    }

    [Fact]
    public void Jsd_equals_a_plain_second_implementation_on_random_logits()
    {
        for (var seed = 10; seed < 20; seed++)
        {
            var (a, b) = RandomPair(seed, length: 1000);
            var expected = PlainSumOfHalfKls(a, b, TopTenIndices(a)) / 10;
            Assert.Equal(expected, Divergence.Jsd(a, b, 10), 1e-12);
        }
    }

    [Fact]
    public void Jsd_ignores_everything_outside_the_unablated_head()
    {
        var (a, b) = RandomPair(seed: 3, length: 100);
        var changed = (float[])b.Clone();
        var head = TopTenIndices(a).ToHashSet();
        for (var i = 0; i < changed.Length; i++)
        {
            if (!head.Contains(i))
            {
                changed[i] += 50f;
            }
        }

        Assert.Equal(Divergence.Jsd(a, b, 10), Divergence.Jsd(a, changed, 10));
    }

    [Fact]
    public void Jsd_refuses_vectors_of_different_lengths()
    {
        var e = Assert.Throws<ArgumentException>(() => Divergence.Jsd(new float[12], new float[11], 10));
        Assert.Contains("ablated", e.Message);
    }

    [Fact]
    public void Jsd_refuses_a_top_k_larger_than_the_vocabulary()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Divergence.Jsd(new float[5], new float[5], 10));
    }

    [Fact]
    public void Jsd_refuses_non_finite_logits()
    {
        var ablated = new float[20];
        ablated[3] = float.NaN;
        var unablated = new float[20];
        unablated[3] = 1f;
        var e = Assert.Throws<ArgumentException>(() => Divergence.Jsd(unablated, ablated, 10));
        Assert.Contains("ablated", e.Message);
    }

    private static double HandJsd(double[] p, double[] q)
    {
        var sp = p.Select(Math.Exp).Sum();
        var sq = q.Select(Math.Exp).Sum();
        var jsd = 0.0;
        for (var k = 0; k < p.Length; k++)
        {
            var pk = Math.Exp(p[k]) / sp;
            var qk = Math.Exp(q[k]) / sq;
            var m = (pk + qk) / 2;
            jsd += 0.5 * m * Math.Log(m / pk) / p.Length + 0.5 * m * Math.Log(m / qk) / p.Length;
        }

        return jsd;
    }

    /// <summary>½·Σ M ln(M/P) + ½·Σ M ln(M/Q) over the given indices, written plainly (no mean).</summary>
    private static double PlainSumOfHalfKls(float[] a, float[] b, int[] indices)
    {
        var p = indices.Select(i => Math.Exp(a[i])).ToArray();
        var q = indices.Select(i => Math.Exp(b[i])).ToArray();
        var sp = p.Sum();
        var sq = q.Sum();
        var total = 0.0;
        for (var k = 0; k < indices.Length; k++)
        {
            var pk = p[k] / sp;
            var qk = q[k] / sq;
            var m = (pk + qk) / 2;
            total += 0.5 * m * Math.Log(m / pk) + 0.5 * m * Math.Log(m / qk);
        }

        return total;
    }

    private static int[] TopTenIndices(float[] values) =>
        Enumerable.Range(0, values.Length).OrderByDescending(i => values[i]).ThenBy(i => i).Take(10).ToArray();

    private static (float[] A, float[] B) RandomPair(int seed, int length)
    {
        var random = new Random(seed);
        var a = new float[length];
        var b = new float[length];
        for (var i = 0; i < length; i++)
        {
            a[i] = (float)(random.NextDouble() * 6 - 3);
            b[i] = a[i] + (float)(random.NextDouble() - 0.5);
        }

        return (a, b);
    }
}
