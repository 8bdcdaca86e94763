namespace Mining.Benchmarks;

/// <summary>What <see cref="RealShapeBenchmark"/> measured for one model shape: the load against the reference load, and one forward.</summary>
/// <param name="Shape">The shape's name.</param>
/// <param name="Layers">Layers per tower of the model built.</param>
/// <param name="DType">The compute dtype (torch's name).</param>
/// <param name="Parameters">Parameters of the model built.</param>
/// <param name="ParameterBytes">Bytes its parameters take in <paramref name="DType"/>.</param>
/// <param name="FullParameters">Parameters of the shape at its real depths, counted from the tensor schema (nothing allocated).</param>
/// <param name="CheckpointBytes">Bytes of the bf16 checkpoint's safetensors files.</param>
/// <param name="Load">The load through <see cref="Kernels.Model.LlavaModelLoader"/>.</param>
/// <param name="ReferenceLoad">The load through <see cref="Benchmarks.ReferenceLoad"/>; null when it did not run or failed (<paramref name="ReferenceLoadError"/>).</param>
/// <param name="ReferenceLoadError">Why the reference load did not run (too little host memory) or failed (its old 2 GiB limit per tensor), or null.</param>
/// <param name="VisualTokens">Visual tokens of the image encoded.</param>
/// <param name="SequenceTokens">Positions of the prompt-shaped sequence the language model ran (text tokens around the visual ones).</param>
/// <param name="VisionSeconds">Fastest round of the vision tower and projector on one image.</param>
/// <param name="LanguageSeconds">Fastest round of the language model over the sequence to the last position's logits.</param>
/// <param name="VisionGflop">GFLOP of the image encode (<see cref="VisionFlops"/>).</param>
/// <param name="LanguageGflop">GFLOP of the language model's pass (<see cref="Kernels.Model.ForwardWork.Flops"/>).</param>
public sealed record RealShapeMeasurement(
    string Shape,
    int Layers,
    string DType,
    long Parameters,
    long ParameterBytes,
    long FullParameters,
    long CheckpointBytes,
    LoadMeasurement Load,
    LoadMeasurement? ReferenceLoad,
    string? ReferenceLoadError,
    int VisualTokens,
    int SequenceTokens,
    double VisionSeconds,
    double LanguageSeconds,
    double VisionGflop,
    double LanguageGflop)
{
    /// <summary>Positions per second through the language model.</summary>
    public double TokensPerSecond => SequenceTokens / LanguageSeconds;

    /// <summary>How many times the reference load's resident growth the new load's is (null without a reference).</summary>
    public double? ReferenceOverLoadGrowth => ReferenceLoad is { } reference ? (double)reference.PeakGrowth / Load.PeakGrowth : null;
}
