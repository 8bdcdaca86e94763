using Mining.Kernels.Experiments;

namespace Mining.Kernels.Tests.Experiments;

public sealed class TokenWindowTests
{
    [Theory]
    [InlineData(0, new[] { 0, 1, 2, 6, 7, 8, 12, 13, 14 })] // top-left corner
    [InlineData(5, new[] { 3, 4, 5, 9, 10, 11, 15, 16, 17 })] // top-right corner
    [InlineData(30, new[] { 18, 19, 20, 24, 25, 26, 30, 31, 32 })] // bottom-left corner
    [InlineData(35, new[] { 21, 22, 23, 27, 28, 29, 33, 34, 35 })] // bottom-right corner
    [InlineData(2, new[] { 1, 2, 3, 7, 8, 9, 13, 14, 15 })] // top edge
    [InlineData(12, new[] { 6, 7, 8, 12, 13, 14, 18, 19, 20 })] // left edge
    [InlineData(17, new[] { 9, 10, 11, 15, 16, 17, 21, 22, 23 })] // right edge
    [InlineData(33, new[] { 20, 21, 22, 26, 27, 28, 32, 33, 34 })] // bottom edge
    [InlineData(14, new[] { 7, 8, 9, 13, 14, 15, 19, 20, 21 })] // interior
    public void Windows_on_a_6_grid_are_clamped_at_every_border(int index, int[] expected)
    {
        Assert.Equal(expected, TokenWindow.Around(index, 6));
    }

    [Theory]
    [InlineData(0, new[] { 0, 1, 2, 24, 25, 26, 48, 49, 50 })]
    [InlineData(23, new[] { 21, 22, 23, 45, 46, 47, 69, 70, 71 })]
    [InlineData(552, new[] { 504, 505, 506, 528, 529, 530, 552, 553, 554 })]
    [InlineData(575, new[] { 525, 526, 527, 549, 550, 551, 573, 574, 575 })]
    [InlineData(10, new[] { 9, 10, 11, 33, 34, 35, 57, 58, 59 })]
    [InlineData(240, new[] { 216, 217, 218, 240, 241, 242, 264, 265, 266 })]
    [InlineData(263, new[] { 237, 238, 239, 261, 262, 263, 285, 286, 287 })]
    [InlineData(560, new[] { 511, 512, 513, 535, 536, 537, 559, 560, 561 })]
    [InlineData(300, new[] { 275, 276, 277, 299, 300, 301, 323, 324, 325 })]
    public void Windows_on_a_24_grid_are_clamped_at_every_border(int index, int[] expected)
    {
        Assert.Equal(expected, TokenWindow.Around(index, 24));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(6)]
    [InlineData(24)]
    public void Every_window_matches_the_reference_direction_rule(int grid)
    {
        // The reference's rule written plainly: offsets {0,1,2} on the first row/column, {-2,-1,0} on the last, else {-1,0,1}.
        for (var index = 0; index < grid * grid; index++)
        {
            var row = index / grid;
            var column = index % grid;
            int[] rowOffsets = row == 0 ? [0, 1, 2] : row == grid - 1 ? [-2, -1, 0] : [-1, 0, 1];
            int[] columnOffsets = column == 0 ? [0, 1, 2] : column == grid - 1 ? [-2, -1, 0] : [-1, 0, 1];
            var expected = rowOffsets.SelectMany(dr => columnOffsets.Select(dc => (row + dr) * grid + column + dc)).ToArray();
            Assert.Equal(expected, TokenWindow.Around(index, grid));
        }
    }

    [Fact]
    public void A_grid_smaller_than_three_is_refused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => TokenWindow.Around(0, 2));
        Assert.Equal("grid", e.ParamName);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(36)]
    public void An_index_outside_the_grid_is_refused(int index)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => TokenWindow.Around(index, 6));
        Assert.Equal("index", e.ParamName);
    }
}
