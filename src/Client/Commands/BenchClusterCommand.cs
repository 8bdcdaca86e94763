using System.CommandLine;
using System.Globalization;
using Mining.Benchmarks;
using Mining.Kernels.Clustering;
using Mining.Kernels.Runtime;
using TorchSharp;

namespace Mining.Client.Commands;

/// <summary><c>mining bench cluster</c>: time and peak memory of the blocked DPC-kNN on synthetic points, written to a JSON file.</summary>
internal static class BenchClusterCommand
{
    public static Command Create()
    {
        var sizes = new Option<string>("--sizes")
        {
            Description = "Comma-separated point counts, measured in this order.",
            DefaultValueFactory = _ => "10000,50000,100000",
        };
        var dim = new Option<int>("--dim") { Description = "Coordinates per point.", DefaultValueFactory = _ => 4096 };
        var clusters = new Option<int>("--clusters") { Description = "Clusters C.", DefaultValueFactory = _ => 64 };
        var k = new Option<int>("--k") { Description = "Neighbours in the density.", DefaultValueFactory = _ => 5 };
        var seed = new Option<int>("--seed") { Description = "Seed of the synthetic points.", DefaultValueFactory = _ => 1 };
        var blockRows = new Option<int>("--block-rows")
        {
            Description = "Rows per GEMM tile side.",
            DefaultValueFactory = _ => new BlockedDpcKnnOptions().BlockRows,
        };
        var candidates = new Option<int>("--candidates")
        {
            Description = "Nearest candidates kept per point.",
            DefaultValueFactory = _ => new BlockedDpcKnnOptions().Candidates,
        };
        var compareUpTo = new Option<int>("--compare-up-to")
        {
            Description = "Also run the dense n×n path, and check the results are bit-identical, for sizes up to this many points (its matrix takes 4·n² bytes).",
            DefaultValueFactory = _ => 10000,
        };
        var threads = new Option<int>("--threads") { Description = "CPU threads for the GEMM tiles (0 = TorchSharp's default).", DefaultValueFactory = _ => 0 };
        var outFile = new Option<string>("--out")
        {
            Description = "JSON file for the figures.",
            DefaultValueFactory = _ => Path.Combine(MiningHome.Root, ".out", "bench", "cluster.json"),
        };
        var force = ForceOption.Create();
        var command = new Command("cluster", "Measure the blocked DPC-kNN (GEMM-estimated tiles, exact decisions, memory O(n·candidates + block²)) on seeded synthetic clustered points: wall time and peak resident memory per size.")
        {
            sizes, dim, clusters, k, seed, blockRows, candidates, compareUpTo, threads, outFile, force,
        };
        command.SetAction(result => CommandFailure.Guard(() =>
        {
            var checkedOut = BenchOutput.Check(result, outFile, force);
            var counts = ParseSizes(result.GetValue(sizes)!);
            var d = result.GetValue(dim);
            TorchRuntime.EnsureLoaded();
            if (result.GetValue(threads) is > 0 and var count)
            {
                torch.set_num_threads(count);
            }

            var report = new BenchmarkReport("cluster")
                .Add("dim", d)
                .Add("clusters", result.GetValue(clusters))
                .Add("k", result.GetValue(k))
                .Add("seed", result.GetValue(seed))
                .Add("block_rows", result.GetValue(blockRows))
                .Add("candidates", result.GetValue(candidates));
            var path = checkedOut;
            foreach (var n in counts)
            {
                var options = new BlockedDpcKnnOptions
                {
                    BlockRows = result.GetValue(blockRows),
                    Candidates = result.GetValue(candidates),
                    Progress = new ConsoleProgress($"n = {n}: first pass"),
                };
                var m = ClusterBenchmark.Measure(n, d, result.GetValue(clusters), result.GetValue(k), result.GetValue(seed), options, compareWithDense: n <= result.GetValue(compareUpTo));
                var s = m.Stats;
                Console.WriteLine(
                    $"n = {n}, d = {d}: {m.Seconds:F1} s (first pass {s.FirstPassSeconds:F1} s, {m.FirstPassGflops:F1} GFLOP/s over {s.Tiles} tiles); " +
                    $"peak resident {Gib(m.PeakResidentBytes):F2} GiB{(m.PeakIsPerRun ? string.Empty : " (since process start)")}, " +
                    $"{Gib(m.ResidentBeforeBytes):F2} GiB before (input {Gib(m.InputBytes):F2} GiB); " +
                    $"second scans: {s.DensityRescans} density, {s.DeltaRescans} δ, {s.MaximumRescans} maximum; {s.ExactDistances:N0} exact distances" +
                    (m.DenseSeconds is { } dense ? $"; dense path {dense:F1} s, identical: {(m.IdenticalToDense == true ? "yes" : "NO")}" : string.Empty));
                var name = $"n{n}";
                report.Add($"{name}_seconds", m.Seconds)
                    .Add($"{name}_first_pass_seconds", s.FirstPassSeconds)
                    .Add($"{name}_first_pass_gflops", m.FirstPassGflops)
                    .Add($"{name}_tiles", s.Tiles)
                    .Add($"{name}_input_bytes", m.InputBytes)
                    .Add($"{name}_resident_before_bytes", m.ResidentBeforeBytes)
                    .Add($"{name}_peak_resident_bytes", m.PeakResidentBytes)
                    .Add($"{name}_peak_is_per_run", m.PeakIsPerRun ? 1 : 0)
                    .Add($"{name}_managed_allocated_bytes", m.ManagedAllocatedBytes)
                    .Add($"{name}_candidates_per_point", s.CandidatesPerPoint)
                    .Add($"{name}_density_rescans", s.DensityRescans)
                    .Add($"{name}_delta_rescans", s.DeltaRescans)
                    .Add($"{name}_maximum_rescans", s.MaximumRescans)
                    .Add($"{name}_exact_distances", s.ExactDistances);
                if (m.DenseSeconds is { } denseSeconds)
                {
                    report.Add($"{name}_dense_seconds", denseSeconds).Add($"{name}_identical_to_dense", m.IdenticalToDense == true ? 1 : 0);
                }

                // Written after every size, so a long run that is stopped keeps the sizes it finished.
                report.Write(path);
            }

            Console.WriteLine($"wrote {path}");
            return 0;
        }));
        return command;
    }

    private static int[] ParseSizes(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            throw new ArgumentException($"--sizes: '{text}' names no point count");
        }

        return [.. parts.Select(part => int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"--sizes: '{part}' is not a positive whole number of points"))];
    }

    private static double Gib(long bytes) => bytes / (1024.0 * 1024 * 1024);

    /// <summary>Prints progress to stderr every tenth, so stdout keeps only the results.</summary>
    private sealed class ConsoleProgress(string label) : IProgress<double>
    {
        private int lastTenth = -1;

        public void Report(double value)
        {
            var tenth = (int)(value * 10);
            if (Interlocked.Exchange(ref lastTenth, tenth) != tenth)
            {
                Console.Error.WriteLine($"{label} {value:P0}");
            }
        }
    }
}
