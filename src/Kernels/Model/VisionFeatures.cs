using static TorchSharp.torch;

namespace Mining.Kernels.Model;

/// <summary>The [CLS] feature and patch features of one hidden state of the vision tower.</summary>
public sealed record VisionFeatures(Tensor Cls, Tensor Patches);
