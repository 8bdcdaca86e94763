namespace Mining.Kernels.Experiments;

/// <summary>
/// How an experiment describes the model's visual input: an <c>int[]</c> of indices into the image's visual-token
/// matrix, in sequence order, where <see cref="Pad"/> stands for the pad embedding (row <c>pad_token_id</c> of the
/// LLM's input embeddings). The builders are the variants of ARCHITECTURE §1.
/// </summary>
public static class VisualVariant
{
    /// <summary>Marks a position filled with the pad embedding.</summary>
    public const int Pad = -1;

    /// <summary>All <paramref name="tokenCount"/> tokens in order (the baseline).</summary>
    public static int[] Baseline(int tokenCount)
    {
        if (tokenCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(tokenCount), tokenCount, "an image needs at least one visual token");
        }

        return Enumerable.Range(0, tokenCount).ToArray();
    }

    /// <summary>Token <paramref name="index"/> alone, repeated <paramref name="dup"/> times (single input).</summary>
    public static int[] Single(int index, int dup)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        if (dup < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(dup), dup, "dup must be at least 1");
        }

        var variant = new int[dup];
        Array.Fill(variant, index);
        return variant;
    }

    /// <summary>The 3×3 window around <paramref name="index"/> (regional, unablated).</summary>
    public static int[] Window(int index, int grid) => TokenWindow.Around(index, grid);

    /// <summary>The same 9 window tokens with <paramref name="index"/> replaced by the pad (regional leave-one-out).</summary>
    public static int[] WindowCenterPadded(int index, int grid)
    {
        var window = TokenWindow.Around(index, grid);
        window[Array.IndexOf(window, index)] = Pad;
        return window;
    }

    /// <summary>All grid² tokens in order with the 9 window tokens replaced by the pad, length kept (global leave-one-out).</summary>
    public static int[] GlobalWindowPadded(int index, int grid)
    {
        var window = TokenWindow.Around(index, grid);
        var variant = Baseline(grid * grid);
        foreach (var token in window)
        {
            variant[token] = Pad;
        }

        return variant;
    }
}
