using System.Diagnostics;
using Mining.Kernels.Checkpoints;
using Mining.Kernels.Experiments;
using Mining.Kernels.Model;

namespace Mining.Kernels.Benchmarks;

/// <summary>Throughput of the experiment forward on one image: batched variants against the same variants one at a time.</summary>
public static class ForwardBenchmark
{
    /// <summary>Timed rounds per path.</summary>
    public const int Rounds = 3;

    /// <summary>
    /// Runs the experiments' variant mix for <paramref name="candidates"/> tokens (single, window, window with the
    /// centre padded, whole image with the window padded) plus the baseline, once batched and once one variant per
    /// call, and reports tokens per second and the FLOP-based fraction of <paramref name="gemmGflops"/>.
    /// </summary>
    public static ForwardMeasurement Measure(LlavaRuntime runtime, EncodedImage image, int candidates, double gemmGflops)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(image);
        var variants = Variants(image, candidates);
        var fixedLength = runtime.Prompt.PrefixIds.Length + runtime.Prompt.SuffixIds.Length;
        var tokens = variants.Sum(v => (long)(v.Length + fixedLength));
        var flops = variants.Sum(v => SequenceFlops(runtime.Config, v.Length + fixedLength));

        // Warm up both paths once so allocation and thread-pool start-up are not measured.
        runtime.FirstTokenLogits(image, variants.Take(2).ToArray(), padTokenId: 0);

        // Each path runs `Rounds` times, interleaved, and the fastest round counts: the machine's other load
        // only ever adds time, so the minimum is the most repeatable figure.
        var batchedSeconds = double.MaxValue;
        var singleSeconds = double.MaxValue;
        long batchedCalls = 0;
        for (var round = 0; round < Rounds; round++)
        {
            var calls = runtime.ForwardCalls;
            var clock = Stopwatch.StartNew();
            runtime.FirstTokenLogits(image, variants, padTokenId: 0);
            batchedSeconds = Math.Min(batchedSeconds, clock.Elapsed.TotalSeconds);
            batchedCalls = runtime.ForwardCalls - calls;

            clock.Restart();
            foreach (var variant in variants)
            {
                runtime.FirstTokenLogits(image, [variant], padTokenId: 0);
            }

            singleSeconds = Math.Min(singleSeconds, clock.Elapsed.TotalSeconds);
        }

        return new ForwardMeasurement(
            variants.Length,
            tokens,
            flops,
            batchedSeconds,
            singleSeconds,
            batchedCalls,
            tokens / batchedSeconds,
            tokens / singleSeconds,
            singleSeconds / batchedSeconds,
            flops / batchedSeconds / 1e9 / gemmGflops,
            flops / singleSeconds / 1e9 / gemmGflops);
    }

    /// <summary>The experiment variants of the first <paramref name="candidates"/> tokens plus the baseline.</summary>
    public static int[][] Variants(EncodedImage image, int candidates)
    {
        ArgumentNullException.ThrowIfNull(image);
        var count = Math.Clamp(candidates, 1, image.TokenCount);
        var step = Math.Max(1, image.TokenCount / count);
        var variants = new List<int[]> { VisualVariant.Baseline(image.TokenCount) };
        for (var c = 0; c < count; c++)
        {
            var token = c * step;
            variants.Add(VisualVariant.Single(token, 1));
            variants.Add(VisualVariant.Window(token, image.Grid));
            variants.Add(VisualVariant.WindowCenterPadded(token, image.Grid));
            variants.Add(VisualVariant.GlobalWindowPadded(token, image.Grid));
        }

        return [.. variants];
    }

    /// <summary>
    /// Multiply-add FLOPs (×2) of one LLaMA forward over <paramref name="length"/> positions with the LM head at the
    /// last position only: projections and MLP per position, and QKᵀ and PV over the full L×L square as computed.
    /// </summary>
    public static double SequenceFlops(LlavaConfig config, int length)
    {
        ArgumentNullException.ThrowIfNull(config);
        var t = config.Text;
        double hidden = t.HiddenSize, kv = t.NumKeyValueHeads * t.HeadDim, heads = t.NumAttentionHeads * t.HeadDim;
        var projections = (hidden * heads) + (2 * hidden * kv) + (heads * hidden);
        var mlp = 3 * hidden * t.IntermediateSize;
        var attention = 2.0 * length * heads; // QKᵀ and PV per position
        var perLayer = length * (projections + mlp + attention);
        return (2 * t.NumHiddenLayers * perLayer) + (2 * hidden * t.VocabSize);
    }
}
