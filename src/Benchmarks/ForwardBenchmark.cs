using System.Diagnostics;
using Mining.Kernels.Experiments;
using Mining.Kernels.Model;

namespace Mining.Benchmarks;

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

        // Warm up both paths once so allocation and thread-pool start-up are not measured.
        runtime.FirstTokenLogits(image, variants.Take(2).ToArray(), padTokenId: 0);

        // Each path runs `Rounds` times, interleaved, and the fastest round counts: the machine's other load
        // only ever adds time, so the minimum is the most repeatable figure. FLOPs are what each path computed
        // (the engine reuses cached positions, so the two paths differ in work, not only in speed).
        var batchedSeconds = double.MaxValue;
        var singleSeconds = double.MaxValue;
        ForwardWork batchedWork = ForwardWork.None, singleWork = ForwardWork.None;
        for (var round = 0; round < Rounds; round++)
        {
            var before = runtime.Work;
            var clock = Stopwatch.StartNew();
            runtime.FirstTokenLogits(image, variants, padTokenId: 0);
            batchedSeconds = Math.Min(batchedSeconds, clock.Elapsed.TotalSeconds);
            batchedWork = runtime.Work - before;

            before = runtime.Work;
            clock.Restart();
            foreach (var variant in variants)
            {
                runtime.FirstTokenLogits(image, [variant], padTokenId: 0);
            }

            singleSeconds = Math.Min(singleSeconds, clock.Elapsed.TotalSeconds);
            singleWork = runtime.Work - before;
        }

        var batchedFlops = batchedWork.Flops(runtime.Config.Text);
        var singleFlops = singleWork.Flops(runtime.Config.Text);
        return new ForwardMeasurement(
            variants.Length,
            tokens,
            batchedFlops,
            batchedSeconds,
            singleSeconds,
            batchedWork.Calls,
            tokens / batchedSeconds,
            tokens / singleSeconds,
            singleSeconds / batchedSeconds,
            batchedFlops / batchedSeconds / 1e9 / gemmGflops,
            singleFlops / singleSeconds / 1e9 / gemmGflops);
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
}
