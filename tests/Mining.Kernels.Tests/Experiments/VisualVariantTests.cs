using Mining.Kernels.Experiments;

namespace Mining.Kernels.Tests.Experiments;

public sealed class VisualVariantTests
{
    [Fact]
    public void Baseline_is_every_token_in_order()
    {
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7, 8], VisualVariant.Baseline(9));
    }

    [Fact]
    public void Single_repeats_the_token_dup_times()
    {
        Assert.Equal([7], VisualVariant.Single(7, 1));
        Assert.Equal([7, 7, 7], VisualVariant.Single(7, 3));
    }

    [Fact]
    public void Window_is_the_clamped_window()
    {
        Assert.Equal([0, 1, 2, 6, 7, 8, 12, 13, 14], VisualVariant.Window(0, 6));
    }

    [Fact]
    public void Window_center_padded_pads_only_the_token_itself()
    {
        Assert.Equal([VisualVariant.Pad, 1, 2, 6, 7, 8, 12, 13, 14], VisualVariant.WindowCenterPadded(0, 6));
        Assert.Equal([7, 8, 9, 13, VisualVariant.Pad, 15, 19, 20, 21], VisualVariant.WindowCenterPadded(14, 6));
    }

    [Fact]
    public void Global_window_padded_keeps_the_sequence_length_and_pads_the_window()
    {
        var variant = VisualVariant.GlobalWindowPadded(35, 6);
        int[] window = [21, 22, 23, 27, 28, 29, 33, 34, 35];

        Assert.Equal(36, variant.Length);
        for (var t = 0; t < 36; t++)
        {
            Assert.Equal(window.Contains(t) ? VisualVariant.Pad : t, variant[t]);
        }
    }

    [Fact]
    public void Pad_is_minus_one()
    {
        Assert.Equal(-1, VisualVariant.Pad);
    }

    [Fact]
    public void Single_refuses_a_dup_below_one()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => VisualVariant.Single(0, 0));
        Assert.Equal("dup", e.ParamName);
    }
}
