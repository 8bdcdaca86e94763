using System.Diagnostics;
using Mining.Kernels.Experiments;
using Mining.Kernels.Model;

namespace Mining.Benchmarks;

/// <summary>
/// The experiments of a few images through the <see cref="ReferenceSchedule"/> and through the engine
/// (<see cref="LlavaRuntime.MeasuredLogits(IReadOnlyList{VariantRequest})"/>, all images in one call), both applying
/// <see cref="MiningParameters.SkipLeadingTokens"/>, timed in
/// interleaved rounds (the fastest counts: other load on the machine only ever adds time), with the scores of both
/// compared and the work of both counted in FLOPs against the GEMM peak measured in the same rounds.
/// </summary>
public static class MineBenchmark
{
    /// <summary>
    /// Runs the benchmark on the images with <paramref name="pixelValues"/> ([3, H, W] each, preprocessed for
    /// <paramref name="runtime"/>'s checkpoint); <paramref name="log"/> hears each round. Both timed paths start from
    /// pixels: the engine encodes each image once, the reference schedule once for the ranking and again per variant.
    /// </summary>
    public static MineMeasurement Measure(LlavaRuntime runtime, string modelName, long modelParameters, IReadOnlyList<float[]> pixelValues, MineBenchmarkOptions options, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(pixelValues);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (pixelValues.Count == 0)
        {
            throw new ArgumentException("the benchmark needs at least one image", nameof(pixelValues));
        }

        log ??= _ => { };
        var parameters = options.Parameters;
        var skipTokenIds = runtime.SkipTokenIds(parameters.SkipLeadingTokens);
        int[][] candidates;
        int tokenCount;
        {
            var encoded = pixelValues.Select(runtime.Encode).ToArray();
            candidates = encoded.Select(image => Candidates(image, options)).ToArray();
            tokenCount = encoded[0].TokenCount;

            // Warm-up: one-off costs (allocator growth, thread pool, first-call paths) stay out of the timed rounds.
            new ReferenceSchedule(runtime, options.NewTokens).FirstTokenLogits(pixelValues[0], [VisualVariant.Single(0, 1)], parameters.PadTokenId);
            runtime.FirstTokenLogits(encoded[0], [VisualVariant.Single(0, 1), VisualVariant.Baseline(tokenCount)], parameters.PadTokenId);
            foreach (var image in encoded)
            {
                image.Dispose();
            }
        }

        var peak = GemmPeakNow(runtime, options.GemmSizes);
        var baselineSeconds = double.MaxValue;
        var engineSeconds = double.MaxValue;
        Scored? baseline = null, engine = null;
        var reference = new ReferenceSchedule(runtime, options.NewTokens);
        var engineWork = ForwardWork.None;
        var (engineSkips, engineSkipWork, engineSkipSeconds) = (0L, ForwardWork.None, 0.0);
        for (var round = 0; round < Math.Max(options.Rounds, options.BaselineRounds); round++)
        {
            if (round < options.BaselineRounds)
            {
                reference = new ReferenceSchedule(runtime, options.NewTokens);
                var clock = Stopwatch.StartNew();
                baseline = ScoreWithReference(runtime, reference, pixelValues, candidates, parameters, skipTokenIds);
                baselineSeconds = Math.Min(baselineSeconds, clock.Elapsed.TotalSeconds);
                log($"round {round + 1}: reference schedule {clock.Elapsed.TotalSeconds:F2} s");
            }

            if (round < options.Rounds)
            {
                var (before, skipsBefore, skipWorkBefore, skipSecondsBefore) = (runtime.Work, runtime.LeadSkips, runtime.LeadSkipWork, runtime.LeadSkipSeconds);
                var clock = Stopwatch.StartNew();
                engine = ScoreWithEngine(runtime, pixelValues, candidates, parameters, skipTokenIds);
                if (clock.Elapsed.TotalSeconds < engineSeconds)
                {
                    engineSkipSeconds = runtime.LeadSkipSeconds - skipSecondsBefore;
                }

                engineSeconds = Math.Min(engineSeconds, clock.Elapsed.TotalSeconds);
                engineWork = runtime.Work - before;
                (engineSkips, engineSkipWork) = (runtime.LeadSkips - skipsBefore, runtime.LeadSkipWork - skipWorkBefore);
                log($"round {round + 1}: engine {clock.Elapsed.TotalSeconds:F3} s");
            }

            peak = Math.Max(peak, GemmPeakNow(runtime, options.GemmSizes));
        }

        var text = runtime.Config.Text;
        var comparison = Compare(baseline!, engine!);
        var prefill = reference.PrefillWork;
        var prefillLayers = prefill with { HeadRows = 0 };
        var headRow = ForwardWork.None with { HeadRows = 1 };
        var perImage = VisionFlops.PerImage(runtime.Config);
        var baselineVision = (reference.Encodes + pixelValues.Count) * perImage;
        var engineVision = pixelValues.Count * perImage;
        var baselineFlops = reference.Work.Flops(text) + baselineVision;
        var engineFlops = engineWork.Flops(text) + engineVision;
        var variants = baseline!.Variants.Sum(v => v.Count);
        return new MineMeasurement(
            modelName,
            modelParameters,
            tokenCount,
            pixelValues.Count,
            candidates.Sum(c => c.Length),
            variants,
            runtime.MaxBatchTokens,
            baselineSeconds,
            engineSeconds,
            baselineSeconds / engineSeconds,
            pixelValues.Count * 3600 / baselineSeconds,
            pixelValues.Count * 3600 / engineSeconds,
            comparison.Scores,
            comparison.Logits,
            comparison.Flags,
            comparison.Scores <= options.Tolerance && comparison.Logits <= options.Tolerance && comparison.Flags == 0,
            peak,
            baselineFlops / 1e9,
            prefillLayers.Flops(text) / 1e9,
            (prefill.Flops(text) - prefillLayers.Flops(text)) / 1e9,
            reference.DecodeWork.Flops(text) / 1e9,
            baselineVision / 1e9,
            (prefillLayers.Flops(text) + (variants * headRow.Flops(text))) / 1e9,
            engineFlops / 1e9,
            engineVision / 1e9,
            baselineFlops / baselineSeconds / 1e9,
            engineFlops / engineSeconds / 1e9,
            baselineFlops / baselineSeconds / 1e9 / peak,
            engineFlops / engineSeconds / 1e9 / peak,
            baselineFlops / engineFlops,
            engineFlops / engineSeconds / (baselineFlops / baselineSeconds),
            reference.Work.Calls,
            engineWork.Calls,
            reference.Work.QueryTokens,
            engineWork.QueryTokens,
            engineWork.PaddedTokens,
            MiningParameterText(parameters),
            reference.LeadSkips,
            engineSkips,
            engineSkipWork.Calls,
            engineSkipWork.Flops(text) / 1e9,
            engineSkipSeconds,
            MachineInfo.Current());
    }

    /// <summary>The candidate tokens of <paramref name="image"/>: the mode's ranks, thinned evenly to at most <see cref="MineBenchmarkOptions.MaxCandidates"/>.</summary>
    public static int[] Candidates(EncodedImage image, MineBenchmarkOptions options)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(options);
        var ranks = CandidateSelection.Ranks(image.TokenCount, options.Candidates);
        if (options.MaxCandidates > 0 && options.MaxCandidates < ranks.Length)
        {
            var count = options.MaxCandidates;
            ranks = Enumerable.Range(0, count).Select(i => ranks[(int)((long)i * ranks.Length / count)]).ToArray();
        }

        return CandidateSelection.TokensByRank(ranks, image.Ranking.Ranks);
    }

    private static double GemmPeakNow(LlavaRuntime runtime, IReadOnlyList<int> sizes) =>
        sizes.Max(size => GemmPeak.Measure(runtime.Device, size).GflopsPerSecond);

    /// <summary>Per image, as the reference scripts: one encode for the ranking, then every variant through the reference schedule.</summary>
    private static Scored ScoreWithReference(LlavaRuntime runtime, ReferenceSchedule reference, IReadOnlyList<float[]> pixelValues, int[][] candidates, MiningParameters parameters, int[] skipTokenIds)
    {
        var results = new ImageExperimentResult[pixelValues.Count];
        var variants = new IReadOnlyList<int[]>[pixelValues.Count];
        var logits = new MeasuredLogits[pixelValues.Count][];
        for (var i = 0; i < pixelValues.Count; i++)
        {
            using var image = runtime.Encode(pixelValues[i]);
            var recorder = new RecordingScorer(reference.ScorerFor(pixelValues[i], parameters.PadTokenId, skipTokenIds));
            results[i] = ImageExperiment.Run(recorder, image.Grid, image.Ranking, candidates[i], parameters);
            (variants[i], logits[i]) = (recorder.Variants, recorder.Logits);
        }

        return new Scored(results, variants, logits);
    }

    /// <summary>
    /// Each image encoded once; the experiments decide which variants they need (a first pass with placeholder logits
    /// records them), the engine scores every image's variants in one call, and a second pass derives the scores.
    /// </summary>
    private static Scored ScoreWithEngine(LlavaRuntime runtime, IReadOnlyList<float[]> pixelValues, int[][] candidates, MiningParameters parameters, int[] skipTokenIds)
    {
        var images = pixelValues.Select(runtime.Encode).ToArray();
        try
        {
            var vocabulary = runtime.Config.Text.VocabSize;
            var variants = new IReadOnlyList<int[]>[images.Length];
            for (var i = 0; i < images.Length; i++)
            {
                var recorder = new RecordingScorer(new PlaceholderScorer(vocabulary));
                ImageExperiment.Run(recorder, images[i].Grid, images[i].Ranking, candidates[i], parameters);
                variants[i] = recorder.Variants;
            }

            var logits = runtime.MeasuredLogits(images.Select((image, i) => new VariantRequest(image, variants[i], parameters.PadTokenId) { SkipTokenIds = skipTokenIds }).ToArray());
            var results = new ImageExperimentResult[images.Length];
            for (var i = 0; i < images.Length; i++)
            {
                results[i] = ImageExperiment.Run(new ReplayScorer(variants[i], logits[i]), images[i].Grid, images[i].Ranking, candidates[i], parameters);
            }

            return new Scored(results, variants, logits);
        }
        finally
        {
            foreach (var image in images)
            {
                image.Dispose();
            }
        }
    }

    private static (double Scores, double Logits, int Flags) Compare(Scored baseline, Scored engine)
    {
        double scores = 0, logits = 0;
        var flags = 0;
        for (var i = 0; i < baseline.Results.Count; i++)
        {
            if (baseline.Variants[i].Count != engine.Variants[i].Count)
            {
                throw new InvalidOperationException($"image {i}: the schedules scored {baseline.Variants[i].Count} and {engine.Variants[i].Count} variants");
            }

            for (var v = 0; v < baseline.Logits[i].Length; v++)
            {
                if (baseline.Logits[i][v].LeadSkipped != engine.Logits[i][v].LeadSkipped)
                {
                    flags++; // one schedule skipped a leading token the other did not
                    continue;
                }

                var (a, b) = (baseline.Logits[i][v].Logits, engine.Logits[i][v].Logits);
                for (var k = 0; k < a.Length; k++)
                {
                    logits = Math.Max(logits, Math.Abs((double)a[k] - b[k]));
                }
            }

            var (want, got) = (baseline.Results[i].Tokens, engine.Results[i].Tokens);
            for (var c = 0; c < want.Count; c++)
            {
                scores = Math.Max(scores, Math.Abs(want[c].Top1Prob - got[c].Top1Prob));
                scores = Math.Max(scores, Math.Abs(want[c].JsdRegion - got[c].JsdRegion));
                scores = Math.Max(scores, Math.Abs(want[c].JsdGlobal - got[c].JsdGlobal));
                flags += want[c].Redundant == got[c].Redundant ? 0 : 1;
            }
        }

        return (scores, logits, flags);
    }

    private sealed record Scored(IReadOnlyList<ImageExperimentResult> Results, IReadOnlyList<IReadOnlyList<int[]>> Variants, MeasuredLogits[][] Logits);

    private static string MiningParameterText(MiningParameters parameters) =>
        parameters.SkipLeadingTokens.Count == 0 ? "none" : string.Join(',', parameters.SkipLeadingTokens);

    /// <summary>Passes calls through and keeps the last call's variants and logits.</summary>
    private sealed class RecordingScorer(IVariantScorer inner) : IVariantScorer
    {
        public IReadOnlyList<int[]> Variants { get; private set; } = [];

        public MeasuredLogits[] Logits { get; private set; } = [];

        public MeasuredLogits[] Measure(IReadOnlyList<int[]> variants)
        {
            Variants = variants.ToArray();
            Logits = inner.Measure(variants);
            return Logits;
        }
    }

    /// <summary>Zero logits: enough for the experiments to say which variants they need.</summary>
    private sealed class PlaceholderScorer(int vocabulary) : IVariantScorer
    {
        public MeasuredLogits[] Measure(IReadOnlyList<int[]> variants) => variants.Select(_ => new MeasuredLogits(new float[vocabulary], false)).ToArray();
    }

    /// <summary>Answers with logits computed earlier for exactly these variants.</summary>
    private sealed class ReplayScorer(IReadOnlyList<int[]> expected, MeasuredLogits[] logits) : IVariantScorer
    {
        public MeasuredLogits[] Measure(IReadOnlyList<int[]> variants)
        {
            if (variants.Count != expected.Count || variants.Where((v, i) => !v.AsSpan().SequenceEqual(expected[i])).Any())
            {
                throw new InvalidOperationException("the experiments asked for other variants than they recorded");
            }

            return logits;
        }
    }
}
