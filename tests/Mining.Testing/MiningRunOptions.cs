using Mining.Kernels.Datasets;
using Mining.Kernels.Experiments;
using Mining.Kernels.Imaging;
using Mining.Kernels.Runtime;

namespace Mining.Testing;

/// <summary>Everything a <see cref="MiningRun"/> needs.</summary>
/// <param name="ModelDirectory">HF LLaVA checkpoint directory.</param>
/// <param name="Dataset">The images.</param>
/// <param name="Parameters">Validated mining parameters.</param>
/// <param name="Candidates">Reference candidate ranks or all tokens.</param>
/// <param name="Aspect">Crop (as the reference mined) or pad to square.</param>
/// <param name="Runtime">Device, dtype and threads.</param>
/// <param name="MaxBatchTokens">Token budget of one forward call.</param>
/// <param name="OutputPath">Codebook Parquet file to write.</param>
/// <param name="ResultsPath">Per-image results Parquet file to write, or null.</param>
/// <param name="ModelId">Model id recorded in the codebook.</param>
/// <param name="ImpactImages">The first images of the dataset (by position, failed ones included) whose candidate tokens serve as held-out tokens for the dedup impact report; the cluster uses the same rule.</param>
public sealed record MiningRunOptions(
    string ModelDirectory,
    ImageDataset Dataset,
    MiningParameters Parameters,
    CandidateMode Candidates,
    ImageAspect Aspect,
    RuntimeOptions Runtime,
    int MaxBatchTokens,
    string OutputPath,
    string? ResultsPath,
    string ModelId,
    int ImpactImages = 32);
