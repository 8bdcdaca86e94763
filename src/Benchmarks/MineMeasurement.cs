using System.Text.Json;

namespace Mining.Benchmarks;

/// <summary>
/// What <see cref="MineBenchmark"/> measured: the same images and candidates through the reference schedule and the
/// engine. Seconds are the fastest round; FLOP counts are <see cref="Model.ForwardWork.Flops"/> (useful work, padding
/// excluded); rates are those FLOPs over those seconds. Exactly: speedup = flop_ratio × throughput_ratio.
/// </summary>
/// <param name="Model">The checkpoint's name or folder.</param>
/// <param name="ModelParameters">Its parameter count.</param>
/// <param name="VisualTokens">Visual tokens per image.</param>
/// <param name="Images">Images scored (each path starts from their pixels).</param>
/// <param name="Candidates">Candidate tokens over all images.</param>
/// <param name="Variants">Distinct variants over all images (what each schedule scores).</param>
/// <param name="MaxBatchTokens">The engine's token budget per call.</param>
/// <param name="BaselineSeconds">Reference schedule: the experiments of all images.</param>
/// <param name="EngineSeconds">Engine: the experiments of all images.</param>
/// <param name="Speedup">BaselineSeconds / EngineSeconds.</param>
/// <param name="BaselineImagesPerHour">Images per hour at BaselineSeconds.</param>
/// <param name="EngineImagesPerHour">Images per hour at EngineSeconds.</param>
/// <param name="MaxScoreDifference">Largest |difference| of top1_prob, jsd_region or jsd_global between the schedules.</param>
/// <param name="MaxLogitDifference">Largest |difference| of any variant's measured logit between the schedules.</param>
/// <param name="RedundancyFlagsDiffering">Candidates whose redundancy flag differs between the schedules, plus variants that only one of them measured after a skipped leading token.</param>
/// <param name="ScoresAgree">Both differences within the tolerance and no flag differs.</param>
/// <param name="GemmPeakGflops">The best fp32 GEMM rate measured between the rounds (torch.mm of <see cref="MineBenchmarkOptions.GemmSizes"/> squares).</param>
/// <param name="BaselineGflop">Reference schedule's work: <see cref="BaselinePrefillGflop"/> + <see cref="BaselineHeadGflop"/> + <see cref="BaselineDecodeGflop"/> + <see cref="BaselineVisionGflop"/>.</param>
/// <param name="BaselinePrefillGflop">Every variant's whole prompt through the decoder layers.</param>
/// <param name="BaselineHeadGflop">The LM head at every prompt position.</param>
/// <param name="BaselineDecodeGflop">The generation steps after the first token (layers and head, one position each).</param>
/// <param name="BaselineVisionGflop">Its image encodes: one per image for the ranking and one per variant (<see cref="VisionFlops"/>).</param>
/// <param name="PlainGflop">One uncached pass per variant with the head at its last position only: BaselinePrefillGflop plus one head row per variant.</param>
/// <param name="EngineGflop">The engine's work, its one encode per image included.</param>
/// <param name="EngineVisionGflop">Those encodes.</param>
/// <param name="BaselineGflops">BaselineGflop / BaselineSeconds.</param>
/// <param name="EngineGflops">EngineGflop / EngineSeconds.</param>
/// <param name="BaselineFractionOfPeak">BaselineGflops / GemmPeakGflops.</param>
/// <param name="EngineFractionOfPeak">EngineGflops / GemmPeakGflops.</param>
/// <param name="FlopRatio">BaselineGflop / EngineGflop: the work the engine does not do.</param>
/// <param name="ThroughputRatio">EngineGflops / BaselineGflops: how much faster it does its work.</param>
/// <param name="BaselineForwardCalls">Forward calls of the reference schedule.</param>
/// <param name="EngineForwardCalls">Forward calls of the engine.</param>
/// <param name="BaselineTokens">Positions the reference schedule ran through the layers.</param>
/// <param name="EngineTokens">Valid positions the engine ran through the layers.</param>
/// <param name="EnginePaddedTokens">Positions the engine ran, padding included.</param>
/// <param name="SkipLeadingTokens">The skip list both schedules applied (comma-separated; <c>none</c>).</param>
/// <param name="BaselineLeadSkips">Variants the reference schedule measured at its second generated token.</param>
/// <param name="EngineLeadSkips">Variants that took the engine's extra step after a skipped leading token.</param>
/// <param name="EngineLeadSkipCalls">The batched steps that took (forward calls, part of EngineForwardCalls).</param>
/// <param name="EngineLeadSkipGflop">Their work (part of EngineGflop).</param>
/// <param name="EngineLeadSkipSeconds">Their wall-clock time in the fastest engine round (part of EngineSeconds).</param>
/// <param name="Machine">Where it ran.</param>
public sealed record MineMeasurement(
    string Model,
    long ModelParameters,
    int VisualTokens,
    int Images,
    int Candidates,
    int Variants,
    int MaxBatchTokens,
    double BaselineSeconds,
    double EngineSeconds,
    double Speedup,
    double BaselineImagesPerHour,
    double EngineImagesPerHour,
    double MaxScoreDifference,
    double MaxLogitDifference,
    int RedundancyFlagsDiffering,
    bool ScoresAgree,
    double GemmPeakGflops,
    double BaselineGflop,
    double BaselinePrefillGflop,
    double BaselineHeadGflop,
    double BaselineDecodeGflop,
    double BaselineVisionGflop,
    double PlainGflop,
    double EngineGflop,
    double EngineVisionGflop,
    double BaselineGflops,
    double EngineGflops,
    double BaselineFractionOfPeak,
    double EngineFractionOfPeak,
    double FlopRatio,
    double ThroughputRatio,
    long BaselineForwardCalls,
    long EngineForwardCalls,
    long BaselineTokens,
    long EngineTokens,
    long EnginePaddedTokens,
    string SkipLeadingTokens,
    long BaselineLeadSkips,
    long EngineLeadSkips,
    long EngineLeadSkipCalls,
    double EngineLeadSkipGflop,
    double EngineLeadSkipSeconds,
    MachineInfo Machine)
{
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    /// <summary>The measurement as indented JSON with snake_case names, as <see cref="Write"/> writes it.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Writes the measurement as indented JSON with snake_case names (model, images, baseline_seconds, engine_seconds, speedup, …) to <paramref name="path"/>, creating its folder.</summary>
    public void Write(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        File.WriteAllText(fullPath, ToJson());
    }
}
