using static TorchSharp.torch;

namespace Mining.Kernels.Model;

/// <summary>What <see cref="LlamaModel.Forward"/> returns: final-norm hidden states [B, L, H] of the new positions and, when asked for, the key/value cache of all P + L positions (the caller owns it).</summary>
public sealed record LlamaModelOutput(Tensor Hidden, KeyValueCache? Cache);
