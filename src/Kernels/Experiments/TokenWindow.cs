namespace Mining.Kernels.Experiments;

/// <summary>The 3×3 neighbourhood of a visual token on its square grid, clamped at the borders (ARCHITECTURE §1).</summary>
public static class TokenWindow
{
    /// <summary>Number of tokens in a window.</summary>
    public const int Size = 9;

    /// <summary>
    /// The 9 token indices of the 3×3 window around <paramref name="index"/> in raster order. A token on the
    /// first row uses rows 0..2, on the last row rows grid−3..grid−1, otherwise its row ±1; likewise for
    /// columns — so the window always holds 9 tokens (reference: clip_encoder.py, "3x3 for now").
    /// </summary>
    public static int[] Around(int index, int grid)
    {
        if (grid < 3)
        {
            throw new ArgumentOutOfRangeException(nameof(grid), grid, "a 3×3 window needs a grid of at least 3×3 tokens");
        }

        if (index < 0 || index >= grid * grid)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"token index must lie in [0, {grid * grid}) for a {grid}×{grid} grid");
        }

        var centreRow = Math.Clamp(index / grid, 1, grid - 2);
        var centreColumn = Math.Clamp(index % grid, 1, grid - 2);
        var window = new int[Size];
        var n = 0;
        for (var row = centreRow - 1; row <= centreRow + 1; row++)
        {
            for (var column = centreColumn - 1; column <= centreColumn + 1; column++)
            {
                window[n++] = row * grid + column;
            }
        }

        return window;
    }
}
