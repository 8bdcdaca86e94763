using Mining.Kernels.Experiments;

namespace Mining.Kernels.Tests.Experiments;

public sealed class CandidateSelectionTests
{
    [Fact]
    public void Reference_mode_for_576_tokens_gives_the_reference_96_ranks()
    {
        var expected = new List<int>();
        foreach (var (start, end) in new[] { (1, 24), (37, 44), (73, 80), (145, 152), (217, 224), (289, 296), (361, 368), (433, 440), (505, 512), (569, 576) })
        {
            for (var r = start; r <= end; r++)
            {
                expected.Add(r);
            }
        }

        var ranks = CandidateSelection.Ranks(576, CandidateMode.Reference);

        Assert.Equal(96, ranks.Length);
        Assert.Equal(expected, ranks);
    }

    [Fact]
    public void Reference_mode_for_36_tokens_scales_each_band_by_its_share()
    {
        // Band [s, e] -> ranks floor((s-1)·36/576)+1 .. ceil(e·36/576), by hand:
        // 1-24 -> 1..2, 37-44 -> 3..3, 73-80 -> 5..5, 145-152 -> 10..10, 217-224 -> 14..14,
        // 289-296 -> 19..19, 361-368 -> 23..23, 433-440 -> 28..28, 505-512 -> 32..32, 569-576 -> 36..36.
        Assert.Equal([1, 2, 3, 5, 10, 14, 19, 23, 28, 32, 36], CandidateSelection.Ranks(36, CandidateMode.Reference));
    }

    [Fact]
    public void Reference_mode_gives_distinct_ascending_ranks_within_range_for_any_token_count()
    {
        for (var n = 1; n <= 2500; n++)
        {
            var ranks = CandidateSelection.Ranks(n, CandidateMode.Reference);
            Assert.NotEmpty(ranks);
            Assert.Equal(1, ranks[0]);
            Assert.Equal(n, ranks[^1]);
            for (var i = 1; i < ranks.Length; i++)
            {
                Assert.True(ranks[i] > ranks[i - 1], $"N = {n}: ranks must ascend strictly");
            }
        }
    }

    [Fact]
    public void All_mode_gives_every_rank()
    {
        Assert.Equal(Enumerable.Range(1, 36), CandidateSelection.Ranks(36, CandidateMode.All));
    }

    [Fact]
    public void Tokens_by_rank_inverts_the_token_ranks_in_the_order_asked()
    {
        int[] tokenRanks = [3, 1, 4, 5, 2];
        Assert.Equal([1, 4, 0, 3], CandidateSelection.TokensByRank([1, 2, 3, 5], tokenRanks));
        Assert.Equal([3, 1], CandidateSelection.TokensByRank([5, 1], tokenRanks));
    }

    [Fact]
    public void Tokens_by_rank_refuses_ranks_that_are_not_a_permutation()
    {
        var e = Assert.Throws<ArgumentException>(() => CandidateSelection.TokensByRank([1], [1, 1, 2]));
        Assert.Contains("rank 1", e.Message);
    }

    [Fact]
    public void Tokens_by_rank_refuses_a_rank_beyond_the_token_count()
    {
        var e = Assert.Throws<ArgumentException>(() => CandidateSelection.TokensByRank([4], [1, 2, 3]));
        Assert.Equal("ranks", e.ParamName);
    }
}
