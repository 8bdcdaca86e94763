using Mining.Kernels.Experiments;
using static TorchSharp.torch;

namespace Mining.Kernels.Model;

/// <summary>
/// One image after the vision tower and projector: its visual tokens [N, D] on the runtime's device (owned here,
/// released by <see cref="Dispose"/>) and the candidate ranking of its tokens (by cosine to [CLS] at the feature layer,
/// or token order for a tower without [CLS]).
/// </summary>
public sealed class EncodedImage : IDisposable
{
    internal EncodedImage(Tensor visualTokens, TokenRanking ranking, int grid)
    {
        VisualTokens = visualTokens;
        Ranking = ranking;
        Grid = grid;
    }

    /// <summary>Visual tokens [N, D] in the LLM input space.</summary>
    public Tensor VisualTokens { get; }

    /// <summary>Each token's candidate rank (and cosine to [CLS] where the tower has one).</summary>
    public TokenRanking Ranking { get; }

    /// <summary>cosine(patch feature, [CLS] feature) per token, raster order; null for a tower without [CLS] (SigLIP).</summary>
    public float[]? ClsSimilarity => Ranking.ClsSimilarity;

    /// <summary>Side of the square token grid (N = Grid²).</summary>
    public int Grid { get; }

    /// <summary>Number of visual tokens.</summary>
    public int TokenCount => Grid * Grid;

    /// <summary>The visual tokens copied to a float32 row-major array [N·D].</summary>
    public float[] VisualTokensToArray()
    {
        using var scope = NewDisposeScope();
        return VisualTokens.to(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
    }

    /// <summary>Releases the visual-token tensor.</summary>
    public void Dispose() => VisualTokens.Dispose();
}
