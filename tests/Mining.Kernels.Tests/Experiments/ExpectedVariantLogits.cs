namespace Mining.Kernels.Tests.Experiments;

/// <summary>The first-token logits of the four variants of one sampled token.</summary>
internal sealed record ExpectedVariantLogits(float[] Single, float[] Window, float[] WindowCenterPadded, float[] GlobalWindowPadded);
