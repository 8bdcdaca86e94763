using Mining.Kernels.Experiments;

namespace Mining.Kernels.Tests.Experiments;

public sealed class ClsRankingTests
{
    [Fact]
    public void Rank_one_is_the_most_similar_token()
    {
        Assert.Equal([3, 1, 4, 2], ClsRanking.Rank([0.1f, 0.9f, -0.5f, 0.3f]));
    }

    [Fact]
    public void Ties_rank_the_lower_index_first()
    {
        Assert.Equal([3, 1, 4, 5, 2], ClsRanking.Rank([0.5f, 0.9f, 0.5f, 0.1f, 0.9f]));
    }

    [Fact]
    public void Nan_similarity_is_refused_with_its_token()
    {
        var e = Assert.Throws<ArgumentException>(() => ClsRanking.Rank([0.5f, float.NaN]));
        Assert.Contains("token 1", e.Message);
    }

    [Fact]
    public void Cosine_to_cls_matches_hand_values()
    {
        // Rows: parallel, orthogonal, opposite (scaled), 45 degrees.
        float[,] features = { { 2f, 0f }, { 0f, 3f }, { -5f, 0f }, { 1f, 1f } };
        var cosines = ClsRanking.CosineToCls(features, [4f, 0f]);
        Assert.Equal(1f, cosines[0], 1e-6f);
        Assert.Equal(0f, cosines[1], 1e-6f);
        Assert.Equal(-1f, cosines[2], 1e-6f);
        Assert.Equal(MathF.Sqrt(0.5f), cosines[3], 1e-6f);
    }

    [Fact]
    public void Flat_and_two_dimensional_features_give_the_same_cosines()
    {
        var random = new Random(4);
        var features = new float[5, 3];
        var flat = new float[15];
        for (var i = 0; i < 15; i++)
        {
            flat[i] = features[i / 3, i % 3] = (float)random.NextDouble() - 0.5f;
        }

        float[] cls = [0.3f, -0.2f, 0.9f];
        Assert.Equal(ClsRanking.CosineToCls(features, cls), ClsRanking.CosineToCls(flat, cls));
    }

    [Fact]
    public void A_zero_feature_has_cosine_zero()
    {
        Assert.Equal([0f], ClsRanking.CosineToCls(new float[3], [1f, 2f, 3f]));
    }

    [Fact]
    public void Features_that_are_not_a_multiple_of_the_cls_size_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => ClsRanking.CosineToCls(new float[7], new float[3]));
        Assert.Equal("patchFeatures", e.ParamName);
    }
}
