using Mining.Kernels.Datasets;
using Mining.Kernels.Experiments;
using Mining.Kernels.Pipeline;
using Mining.Probe.Codebooks;

namespace Mining.Kernels.Tests.Pipeline;

/// <summary>A finished mining run: what it was given, what it returned and what it wrote, read back from its files.</summary>
public sealed record CompletedRun(
    ImageDataset Dataset,
    CandidateMode Candidates,
    string CodebookPath,
    string ResultsPath,
    MiningSummary Summary,
    Codebook Codebook,
    IReadOnlyList<ImageResult> Results);
