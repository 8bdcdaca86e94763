using System.Diagnostics;
using Mining.Kernels.Experiments;
using Mining.Kernels.IO;
using Mining.Kernels.Model;
using Mining.Kernels.Pipeline;
using Mining.Probe.Codebooks;

namespace Mining.Testing;

/// <summary>
/// The single-process mining run the cluster tests take as their reference: every image through <see cref="ImageMiner"/>, then <see cref="CodebookAssembler"/>,
/// then the codebook (and the per-image results) written as Parquet. Inputs are checked before any work; outputs
/// are written only when the run completes.
/// </summary>
public static class MiningRun
{
    /// <summary>Runs the job and returns its summary.</summary>
    public static MiningSummary Run(MiningRunOptions options, IProgress<MiningProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Parameters.Validate();
        OutputFile.RequireWritable(options.OutputPath, "codebook");
        if (options.ResultsPath is not null)
        {
            OutputFile.RequireWritable(options.ResultsPath, "per-image results");

            // Both files are written at the end; at one path the results would silently replace the codebook.
            if (string.Equals(Path.GetFullPath(options.ResultsPath), Path.GetFullPath(options.OutputPath), StringComparison.Ordinal))
            {
                throw new ArgumentException($"the codebook and the per-image results would both be written to '{Path.GetFullPath(options.OutputPath)}'; give them different paths");
            }
        }

        var clock = Stopwatch.StartNew();
        using var runtime = LlavaRuntime.Load(options.ModelDirectory, options.Runtime, maxBatchTokens: options.MaxBatchTokens);
        var hidden = runtime.Config.Text.HiddenSize;
        var miner = new ImageMiner(runtime, options.Parameters, options.Candidates, options.Aspect);
        var results = new List<ImageResult>();
        var heldOut = new List<float[]>();
        var heldOutCount = 0;
        long variants = 0;
        var failed = 0;
        foreach (var image in options.Dataset.Images)
        {
            cancellation.ThrowIfCancellationRequested();
            var started = clock.Elapsed;
            var mined = miner.Mine(image);
            results.Add(mined.Result);
            variants += mined.VariantsScored;
            if (mined.Result.Status == ImageStatus.Failed)
            {
                failed++;
            }
            else if (results.Count <= options.ImpactImages)
            {
                heldOut.Add(mined.CandidateEmbeddings);
                heldOutCount += mined.Result.Candidates.Count;
            }

            progress?.Report(new MiningProgress(results.Count, options.Dataset.Images.Count, failed, mined, clock.Elapsed - started, clock.Elapsed));
        }

        var metadata = new CodebookMetadata(options.ModelId, hidden, 1, [], options.Parameters.ToJson(), DateTimeOffset.UtcNow);
        var assembly = CodebookAssembler.Assemble(null, results, heldOut.SelectMany(t => t).ToArray(), heldOutCount, options.Parameters, metadata, variants);
        CodebookParquet.Write(assembly.Codebook, options.OutputPath);
        if (options.ResultsPath is not null)
        {
            ImageResultParquet.Write(results, options.ResultsPath);
        }

        clock.Stop();
        return new MiningSummary(
            Path.GetFullPath(options.OutputPath),
            options.ResultsPath is null ? null : Path.GetFullPath(options.ResultsPath),
            options.ModelId,
            results.Count,
            results.Count - failed,
            failed,
            results.Where(r => r.Status == ImageStatus.Failed).Select(r => new ImageFailure(r.ImageId, r.FailureReason ?? "unknown")).ToArray(),
            assembly.Statistics,
            clock.Elapsed.TotalSeconds,
            options.Parameters.ToJson());
    }
}
