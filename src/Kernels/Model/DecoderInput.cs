using static TorchSharp.torch;

namespace Mining.Kernels.Model;

/// <summary>
/// What a LLaMA decoder layer reads: hidden states [B, L, H] of L new positions, an additive attention mask
/// [1 or B, 1, L, P + L] over the P cached and L new keys, and rotary cos/sin [1 or B, 1, L, headDim] of the new positions.
/// </summary>
public sealed record DecoderInput(Tensor Hidden, Tensor Mask, Tensor Cos, Tensor Sin)
{
    /// <summary>This layer's keys and values of the P earlier positions, batch 1 (shared by every sequence) or B; null when P = 0.</summary>
    public LayerKeyValues? Past { get; init; }

    /// <summary>
    /// When set, [B] indices of the one new position per sequence whose output is needed (its last): keys and values
    /// are still computed for every position, but queries, attention output and MLP only for these rows, and the layer
    /// returns [B, 1, H]. Only the final layer can do this, since every other layer's outputs are the next one's keys.
    /// </summary>
    public Tensor? QueryRows { get; init; }

    /// <summary>Row <see cref="QueryRows"/>[b] of sequence b of <paramref name="perPosition"/> [B, L, ..] → [B, 1, ..]; all rows when <see cref="QueryRows"/> is null.</summary>
    public Tensor SelectQueryRows(Tensor perPosition)
    {
        ArgumentNullException.ThrowIfNull(perPosition);
        if (QueryRows is null)
        {
            return perPosition;
        }

        var shape = perPosition.shape.ToArray();
        var index = QueryRows.view([shape[0], 1, .. Enumerable.Repeat(1L, shape.Length - 2)]);
        shape[1] = 1;
        return perPosition.gather(1, index.expand(shape));
    }
}
