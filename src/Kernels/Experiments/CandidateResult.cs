namespace Mining.Kernels.Experiments;

/// <summary>One candidate token's measurements and filter decision, as stored per image.</summary>
/// <param name="Measurement">What the experiments measured for the token.</param>
/// <param name="KeptByImageFilter">Redundant and in a small cluster of the image's candidates (ARCHITECTURE §1, per-image filter).</param>
public sealed record CandidateResult(TokenExperimentResult Measurement, bool KeptByImageFilter);
