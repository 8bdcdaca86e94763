using Mining.Kernels.Experiments;

namespace Mining.Kernels.Tests.Experiments;

public sealed class RedundancyRuleTests
{
    // Powers of two keep the weighted sum exact, so "equal to the threshold" really is equal.
    private static readonly MiningParameters Parameters = new() { Top1Thres = 0.25, JsdThres = 0.0625, KRegion = 1, KGlobal = 16 };

    [Fact]
    public void A_token_below_both_thresholds_is_redundant()
    {
        Assert.True(RedundancyRule.IsRedundant(0.125, 0.03125, 0.0009765625, Parameters));
    }

    [Fact]
    public void Weighted_jsd_equal_to_the_threshold_is_not_redundant()
    {
        // 1·0.03125 + 16·0.001953125 = 0.0625
        Assert.False(RedundancyRule.IsRedundant(0.125, 0.03125, 0.001953125, Parameters));
    }

    [Fact]
    public void Top1_equal_to_the_threshold_is_not_redundant()
    {
        Assert.False(RedundancyRule.IsRedundant(0.25, 0.0, 0.0, Parameters));
    }

    [Fact]
    public void A_recognisable_token_is_not_redundant_however_small_its_jsd()
    {
        Assert.False(RedundancyRule.IsRedundant(0.9, 0.0, 0.0, Parameters));
    }

    [Fact]
    public void The_global_jsd_counts_k_global_times()
    {
        // 0.004 alone is under 0.0625, but 16·0.004 = 0.064 is not.
        Assert.False(RedundancyRule.IsRedundant(0.125, 0.0, 0.004, Parameters));
        Assert.True(RedundancyRule.IsRedundant(0.125, 0.0, 0.0039, Parameters));
    }

    [Fact]
    public void Weighted_jsd_is_k_region_times_region_plus_k_global_times_global()
    {
        Assert.Equal(0.5 * 3 + 2 * 7, RedundancyRule.WeightedJsd(3, 7, new MiningParameters { KRegion = 0.5, KGlobal = 2 }));
    }
}
