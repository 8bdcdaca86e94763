using Mining.Kernels.Codebooks;
using Mining.Kernels.Experiments;

namespace Mining.Kernels.Tests.Codebooks;

public sealed class ImageTokenFilterTests
{
    private const int Hidden = 4;

    [Fact]
    public void Only_the_redundant_tokens_of_the_small_cluster_are_kept()
    {
        // 20 tokens around the origin (a big cluster) and 5 around (3,3,3,3), interleaved: every fifth token is in the
        // small group. Redundant: every even token, so both groups have redundant and non-redundant tokens.
        var inSmall = Enumerable.Range(0, 25).Select(i => i % 5 == 4).ToArray();
        var redundant = Enumerable.Range(0, 25).Select(i => i % 2 == 0).ToArray();
        var embeddings = Groups(inSmall, seed: 1);
        var parameters = new MiningParameters { ImageClusters = 2 };

        var kept = ImageTokenFilter.Keep(embeddings, 25, Hidden, redundant, parameters);

        var expected = Enumerable.Range(0, 25).Select(i => inSmall[i] && redundant[i]).ToArray();
        Assert.Equal(expected, kept);
        Assert.Equal([4, 14, 24], Enumerable.Range(0, 25).Where(i => kept[i]));
    }

    [Theory]
    [InlineData(8, true)]
    [InlineData(9, false)]
    public void A_cluster_counts_as_small_up_to_and_including_small_cluster_max(int smallGroup, bool keptExpected)
    {
        var count = 20 + smallGroup;
        var inSmall = Enumerable.Range(0, count).Select(i => i >= 20).ToArray();
        var redundant = Enumerable.Repeat(true, count).ToArray();
        var embeddings = Groups(inSmall, seed: 2);
        var parameters = new MiningParameters { ImageClusters = 2, SmallClusterMax = 8 };

        var kept = ImageTokenFilter.Keep(embeddings, count, Hidden, redundant, parameters);

        Assert.All(Enumerable.Range(0, 20), i => Assert.False(kept[i]));
        Assert.All(Enumerable.Range(20, smallGroup), i => Assert.Equal(keptExpected, kept[i]));
    }

    [Fact]
    public void Nothing_is_kept_when_no_token_is_redundant()
    {
        var inSmall = Enumerable.Range(0, 12).Select(i => i < 3).ToArray();

        var kept = ImageTokenFilter.Keep(Groups(inSmall, seed: 3), 12, Hidden, new bool[12], new MiningParameters { ImageClusters = 2 });

        Assert.DoesNotContain(true, kept);
    }

    [Fact]
    public void Redundant_flags_of_the_wrong_length_are_rejected_naming_the_argument()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            ImageTokenFilter.Keep(new float[3 * Hidden], 3, Hidden, new bool[2], new MiningParameters()));

        Assert.Equal("redundant", error.ParamName);
    }

    /// <summary>Tokens near the origin, or near (3,3,3,3) where <paramref name="inSmall"/> says so, with ±0.05 noise.</summary>
    private static float[] Groups(bool[] inSmall, int seed)
    {
        var random = new Random(seed);
        var embeddings = new float[inSmall.Length * Hidden];
        for (var i = 0; i < inSmall.Length; i++)
        {
            for (var c = 0; c < Hidden; c++)
            {
                embeddings[(i * Hidden) + c] = (inSmall[i] ? 3f : 0f) + (float)((random.NextDouble() - 0.5) * 0.1);
            }
        }

        return embeddings;
    }
}
