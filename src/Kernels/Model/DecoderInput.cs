using static TorchSharp.torch;

namespace Mining.Kernels.Model;

/// <summary>
/// What a LLaMA decoder layer reads: hidden states [B, L, H] of L new positions, an additive attention mask
/// [B, 1, L, P + L] over the P cached and L new keys, and rotary cos/sin [1 or B, 1, L, headDim] of the new positions.
/// </summary>
public sealed record DecoderInput(Tensor Hidden, Tensor Mask, Tensor Cos, Tensor Sin)
{
    /// <summary>This layer's keys and values of the P earlier positions, batch 1 (shared by every sequence) or B; null when P = 0.</summary>
    public LayerKeyValues? Past { get; init; }
}
