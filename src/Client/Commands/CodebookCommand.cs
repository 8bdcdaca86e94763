using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Mining.Grains.Codebooks;
using Mining.Grains.Contracts;
using Mining.Kernels.Codebooks;
using Mining.Kernels.Experiments;
using Mining.Kernels.IO;
using Mining.Probe.IO;
using Mining.Probe.Codebooks;

namespace Mining.Client.Commands;

/// <summary><c>mining codebook import | info | diff | dedup | export</c>.</summary>
internal static class CodebookCommand
{
    public static Command Create() => new("codebook", "Import, inspect and deduplicate codebook Parquet files (format v1), and export the versions a cluster built.")
    {
        CodebookImportCommand.Create(),
        Info(),
        Diff(),
        Dedup(),
        Export(),
    };

    private static Command Export()
    {
        var name = new Option<string>("--name") { Description = "The codebook's name (a job's --codebook; by default its job id).", Required = true };
        var version = new Option<int?>("--version") { Description = "The version to export (default: the latest)." };
        var output = new Option<string>("--out") { Description = "Codebook Parquet file to write.", Required = true };
        var force = ForceOption.Create();
        var cluster = new ClusterOptionSet();
        var api = new ApiOptionSet();
        var command = new Command("export", "Write a codebook version that a cluster's jobs built as Parquet v1, fetched through Orleans (--cluster) or the gateway's HTTP API (--api); one of the two is required.")
        {
            name, version, output, force,
        };
        cluster.AddTo(command);
        api.AddTo(command);
        command.SetAction((result, cancellation) => CommandFailure.GuardAsync(async () =>
        {
            ClusterRequirement.Require(result, cluster, api, "codebook export");
            var path = result.GetValue(output)!;
            OutputFile.RequireWritable(path, "--out", result.GetValue(force));
            var codebookName = result.GetValue(name)!;
            var wanted = result.GetValue(version);
            string written;
            if (api.IsGiven(result))
            {
                using var gateway = api.Open(result, cluster, null);
                var versions = (await gateway.CodebookAsync(codebookName, cancellation)).Versions;
                var info = Pick(versions, v => v.Version, codebookName, wanted, gateway.BaseUrl.ToString());
                await AtomicFile.WriteAsync(path, stream => gateway.DownloadToAsync(codebookName, info.Version, stream, cancellation), CancellationToken.None);
                written = Written(path, codebookName, info.Version, info.Prototypes, info.HiddenSize, info.AddedPrototypes, info.JobIds);
            }
            else
            {
                await using var session = await cluster.OpenAsync(result, null, cancellation);
                var codebook = session.Client.GetGrain<ICodebookGrain>(codebookName);
                var versions = await codebook.GetVersions();
                var info = Pick(versions, v => v.Version, codebookName, wanted, "the cluster");
                await AtomicFile.WriteAsync(path, stream => codebook.ExportToAsync(info.Version, stream, cancellation), CancellationToken.None);
                written = Written(path, info.Name, info.Version, info.Prototypes, info.HiddenSize, info.AddedPrototypes, info.JobIds);
            }

            Console.WriteLine(written);
            return 0;
        }));
        return command;
    }

    /// <summary>The version <c>--version</c> asks for, or the latest; errors name the option.</summary>
    private static T Pick<T>(IReadOnlyList<T> versions, Func<T, int> number, string name, int? wanted, string where)
        where T : class
    {
        if (versions.Count == 0)
        {
            throw new KeyNotFoundException($"--name: {where} has no codebook '{name}' ('mining jobs list' shows its jobs and their codebooks)");
        }

        return wanted is null ? versions[^1] : versions.FirstOrDefault(v => number(v) == wanted)
            ?? throw new ArgumentException($"--version: codebook '{name}' has versions {number(versions[0])} to {number(versions[^1])}, not {wanted}");
    }

    private static string Written(string path, string name, int version, int prototypes, int hiddenSize, int added, IReadOnlyList<string> jobIds) =>
        string.Create(CultureInfo.InvariantCulture, $"wrote {path}: codebook {name} version {version}, {prototypes} prototypes × {hiddenSize} ({added} added by job {jobIds[^1]})");

    private static Command Info()
    {
        var file = new Argument<string>("FILE") { Description = "Codebook Parquet file, or a per-image results file (mine --results)." };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON." };
        var command = new Command("info", $"Print a codebook's rows, hidden size, format version, model, family (when recorded), version, preset, parameters and norm statistics, or summarise a per-image results file (images ok and failed, candidates, redundant and kept tokens). A file of a format major version other than {CodebookFormat.SupportedMajorVersion} is refused (exit code 2).")
        {
            file, json,
        };
        command.SetAction(result => CommandFailure.Guard(() =>
        {
            if (ImageResultParquet.IsImageResults(result.GetValue(file)!))
            {
                return ImageResultsInfo(result.GetValue(file)!, result.GetValue(json));
            }

            var stats = CodebookStatistics.Of(CodebookParquet.Read(result.GetValue(file)!));
            // An imported codebook records its preset as metadata; a mined one inside its parameters.
            var preset = stats.Preset ?? PresetOf(stats.ParametersJson);
            if (result.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(
                    new
                    {
                        rows = stats.Rows,
                        hidden_size = stats.HiddenSize,
                        format_version = stats.FormatVersion,
                        model = stats.Model,
                        family = stats.Family,
                        codebook_version = stats.CodebookVersion,
                        job_ids = stats.JobIds,
                        preset,
                        parameters = JsonDocument.Parse(stats.ParametersJson).RootElement,
                        created_utc = stats.CreatedUtc,
                        source_images = stats.SourceImages,
                        norm_min = stats.MinNorm,
                        norm_mean = stats.MeanNorm,
                        norm_max = stats.MaxNorm,
                    },
                    CliJson.Options));
                return 0;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rows              {stats.Rows}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"hidden size       {stats.HiddenSize}"));
            Console.WriteLine($"format version    {stats.FormatVersion}");
            Console.WriteLine($"model             {stats.Model}");
            if (stats.Family is not null)
            {
                Console.WriteLine($"family            {stats.Family}");
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"codebook version  {stats.CodebookVersion}"));
            Console.WriteLine($"jobs              {(stats.JobIds.Count == 0 ? "-" : string.Join(", ", stats.JobIds))}");
            Console.WriteLine($"created           {stats.CreatedUtc:u}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"source images     {stats.SourceImages}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"L2 norms          min {stats.MinNorm:F4}, mean {stats.MeanNorm:F4}, max {stats.MaxNorm:F4}"));
            Console.WriteLine($"preset            {preset ?? "none"}");
            Console.WriteLine($"parameters        {stats.ParametersJson}");
            return 0;
        }));
        return command;
    }

    /// <summary>The preset the parameters record (<c>mining.parameters.preset</c>), or null for a codebook mined before presets.</summary>
    private static string? PresetOf(string parametersJson)
    {
        using var parameters = JsonDocument.Parse(parametersJson);
        return parameters.RootElement.ValueKind == JsonValueKind.Object
            && parameters.RootElement.TryGetProperty("preset", out var preset)
            && preset.ValueKind == JsonValueKind.String ? preset.GetString() : null;
    }

    /// <summary><c>codebook info</c> on a per-image results file: what the images gave, image by image and in total.</summary>
    private static int ImageResultsInfo(string path, bool json)
    {
        var images = ImageResultParquet.Read(path);
        var ok = images.Where(i => i.Status == ImageStatus.Ok).ToArray();
        var rows = images.Select(i => new
        {
            image_id = i.ImageId,
            status = i.Status == ImageStatus.Ok ? "ok" : "failed",
            failure_reason = i.FailureReason,
            candidates = i.Candidates.Count,
            redundant = i.Candidates.Count(c => c.Measurement.Redundant),
            kept = i.KeptCount,
        }).ToArray();
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(
                new
                {
                    kind = "image_results",
                    images = images.Count,
                    images_ok = ok.Length,
                    images_failed = images.Count - ok.Length,
                    grid = ok.Select(i => i.Grid).FirstOrDefault(),
                    hidden_size = ok.Select(i => i.HiddenSize).FirstOrDefault(),
                    candidates = rows.Sum(r => r.candidates),
                    redundant = rows.Sum(r => r.redundant),
                    kept = rows.Sum(r => r.kept),
                    per_image = rows,
                },
                CliJson.Options));
            return 0;
        }

        Console.WriteLine($"per-image results {path}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"images            {ok.Length} ok, {images.Count - ok.Length} failed (of {images.Count})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"tokens            candidates {rows.Sum(r => r.candidates)}, redundant {rows.Sum(r => r.redundant)}, kept by the per-image filter {rows.Sum(r => r.kept)}"));
        foreach (var row in rows)
        {
            Console.WriteLine(row.status == "ok"
                ? string.Create(CultureInfo.InvariantCulture, $"  {row.image_id,-24} candidates {row.candidates,4}, redundant {row.redundant,4}, kept {row.kept,4}")
                : $"  {row.image_id,-24} failed: {row.failure_reason}");
        }

        return 0;
    }

    private static Command Diff()
    {
        var before = new Argument<string>("A") { Description = "The first codebook Parquet file (before)." };
        var after = new Argument<string>("B") { Description = "The second codebook Parquet file (after)." };
        var json = new Option<bool>("--json") { Description = "Print the differences as JSON." };
        var command = new Command(
            "diff",
            "Compare two codebooks: prototypes added and removed (matched by embedding, bit for bit, since ids are renumbered between versions), prototypes whose id, source image, cluster or member count changed, and metadata values that changed. " +
            "Exit code 0: the same apart from mining.created_utc; 1: they differ; 2: a file could not be read.")
        {
            before, after, json,
        };
        command.SetAction(result => CommandFailure.Guard(() =>
        {
            var (pathA, pathB) = (result.GetValue(before)!, result.GetValue(after)!);
            var diff = CodebookDiff.Compare(CodebookParquet.Read(pathA), CodebookParquet.Read(pathB));
            static object Row(CodebookEntry e) => new { prototype_id = e.PrototypeId, source_image_id = e.SourceImageId, cluster_id = e.ClusterId, cluster_unique_images = e.ClusterUniqueImages, members = e.Members };
            if (result.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(
                    new
                    {
                        a = pathA,
                        b = pathB,
                        differ = diff.HasDifferences,
                        added = diff.Added.Select(Row),
                        removed = diff.Removed.Select(Row),
                        changed = diff.Changed.Select(c => new { before = Row(c.Before), after = Row(c.After) }),
                        metadata = diff.Metadata.Select(m => new { key = m.Key, a = m.Before, b = m.After }),
                    },
                    CliJson.Options));
            }
            else
            {
                static string Describe(CodebookEntry e) => string.Create(
                    CultureInfo.InvariantCulture, $"prototype {e.PrototypeId} (source {e.SourceImageId}, cluster {e.ClusterId}, members {e.Members})");
                foreach (var m in diff.Metadata)
                {
                    Console.WriteLine($"~ {m.Key}: '{m.Before}' -> '{m.After}'");
                }

                foreach (var e in diff.Removed)
                {
                    Console.WriteLine($"- {Describe(e)}");
                }

                foreach (var e in diff.Added)
                {
                    Console.WriteLine($"+ {Describe(e)}");
                }

                foreach (var c in diff.Changed)
                {
                    Console.WriteLine($"~ {Describe(c.Before)} -> {Describe(c.After)}");
                }

                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{diff.Added.Count} added, {diff.Removed.Count} removed, {diff.Changed.Count} changed, {diff.Metadata.Count} metadata value(s) changed{(diff.HasDifferences ? "" : " (the same codebook)")}"));
            }

            return diff.HasDifferences ? 1 : 0;
        }));
        return command;
    }

    private static Command Dedup()
    {
        var file = new Argument<string>("FILE") { Description = "Codebook Parquet file." };
        var cosine = new Option<double>("--cosine") { Description = "Merge prototypes whose cosine is at or above this (0 < T ≤ 1).", Required = true };
        var output = new Option<string>("--out") { Description = "Deduplicated codebook Parquet file to write (not FILE itself).", Required = true };
        var force = ForceOption.Create();
        var command = new Command("dedup", "Merge near-duplicate prototypes of an existing codebook; each survivor records how many prototypes it stands for.")
        {
            file, cosine, output, force,
        };
        command.SetAction(result => CommandFailure.Guard(() =>
        {
            var threshold = result.GetValue(cosine);
            if (!(threshold > 0 && threshold <= 1))
            {
                throw new ArgumentException($"--cosine must be in (0, 1], got {threshold.ToString(CultureInfo.InvariantCulture)}");
            }

            var path = result.GetValue(output)!;
            OutputFile.RequireNotInput(result.GetValue(file)!, path, "--out");
            OutputFile.RequireWritable(path, "--out", result.GetValue(force));
            var source = CodebookParquet.Read(result.GetValue(file)!);
            var dedup = PrototypeDeduplicator.Deduplicate(source.Entries, threshold);
            // The file's parameters say how it was made: its dedup_cosine is the one just applied.
            var parameters = System.Text.Json.Nodes.JsonNode.Parse(source.Metadata.ParametersJson) as System.Text.Json.Nodes.JsonObject ?? [];
            parameters["dedup_cosine"] = threshold;
            var metadata = source.Metadata with { ParametersJson = parameters.ToJsonString() };
            CodebookParquet.Write(source with { Entries = dedup.Survivors, Metadata = metadata }, path);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {path}: {dedup.Survivors.Count} of {source.Count} prototypes survive at cosine ≥ {threshold} ({dedup.MergedCount} merged)"));
            return 0;
        }));
        return command;
    }
}
