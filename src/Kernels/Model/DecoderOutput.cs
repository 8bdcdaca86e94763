using static TorchSharp.torch;

namespace Mining.Kernels.Model;

/// <summary>What a LLaMA decoder layer (or its attention block) returns: hidden states [B, L, H] and the layer's keys and values of all P + L positions [B, kvHeads, P + L, headDim].</summary>
public sealed record DecoderOutput(Tensor Hidden, LayerKeyValues KeyValues);
