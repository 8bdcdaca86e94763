using static TorchSharp.torch;

namespace Mining.Kernels.Model;

/// <summary>The [CLS] feature (null for a tower without one, SigLIP) and the patch features of one hidden state of the vision tower.</summary>
public sealed record VisionFeatures(Tensor? Cls, Tensor Patches);
