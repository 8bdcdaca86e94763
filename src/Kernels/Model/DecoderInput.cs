using static TorchSharp.torch;

namespace Mining.Kernels.Model;

/// <summary>What a LLaMA decoder layer reads: hidden states [B, L, H], an additive attention mask [B, 1, L, L], and rotary cos/sin [B, 1, L, headDim].</summary>
public sealed record DecoderInput(Tensor Hidden, Tensor Mask, Tensor Cos, Tensor Sin);
