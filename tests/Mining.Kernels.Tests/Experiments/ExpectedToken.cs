namespace Mining.Kernels.Tests.Experiments;

/// <summary>One token's expected experiment results.</summary>
internal sealed record ExpectedToken(
    int TokenIndex,
    int Rank,
    float ClsSimilarity,
    int[] Window,
    double Top1Prob,
    double JsdRegion,
    double JsdGlobal,
    bool Redundant);
