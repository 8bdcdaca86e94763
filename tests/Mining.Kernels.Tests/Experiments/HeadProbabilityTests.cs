using Mining.Kernels.Experiments;

namespace Mining.Kernels.Tests.Experiments;

public sealed class HeadProbabilityTests
{
    [Fact]
    public void Top1_softmaxes_over_the_fifty_largest_of_sixty_logits_only()
    {
        // Logits 0.0, 0.1, ..., 5.9 in shuffled order: the head is 1.0..5.9 and its maximum probability is
        // 1 / Σ_{j<50} e^{-0.1 j} = (1 − e^{-0.1}) / (1 − e^{-5}). Over all 60 it would be (1 − e^{-0.1}) / (1 − e^{-6}).
        var logits = Enumerable.Range(0, 60).Select(i => i * 0.1f).ToArray();
        new Random(5).Shuffle(logits);
        var headOnly = (1 - Math.Exp(-0.1)) / (1 - Math.Exp(-5));
        var allSixty = (1 - Math.Exp(-0.1)) / (1 - Math.Exp(-6));

        var top1 = HeadProbability.Top1(logits, 50);

        Assert.Equal(headOnly, top1, 1e-6);
        Assert.True(Math.Abs(top1 - allSixty) > 1e-4);
    }

    [Fact]
    public void Top1_of_equal_head_logits_is_one_over_the_head_size()
    {
        var logits = Enumerable.Repeat(2.5f, 50).Concat(Enumerable.Repeat(-100f, 10)).ToArray();
        Assert.Equal(1.0 / 50, HeadProbability.Top1(logits, 50), 1e-12);
    }

    [Fact]
    public void Top1_does_not_overflow_on_large_logits()
    {
        float[] logits = [1000f, 999f, -1000f];
        Assert.Equal(1 / (1 + Math.Exp(-1)), HeadProbability.Top1(logits, 2), 1e-12);
    }

    [Fact]
    public void Top1_refuses_a_head_larger_than_the_logits()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => HeadProbability.Top1(new float[40], 50));
    }
}
