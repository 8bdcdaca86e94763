using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mining.Kernels.Experiments;
using Mining.Kernels.IO;
using Mining.Kernels.Pipeline;

namespace Mining.Client.Commands;

/// <summary><c>mining mine</c>: a whole mining run, images to codebook Parquet, as one job on a cluster.</summary>
internal static class MineCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Codebook Parquet file to write.", Required = true };
        var results = new Option<string?>("--results")
        {
            Description = "Also write the per-image results (every candidate's measurements, kept embeddings) as Parquet. With --cluster this reads the cluster's artifact store, so --artifacts must name it.",
        };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON on stdout (progress goes to stderr)." };
        var force = ForceOption.Create();
        var allowEmpty = new Option<bool>("--allow-empty") { Description = "Write the codebook and exit 0 even when it has no prototypes (otherwise exit code 4 and no file)." };
        var spec = new JobSpecOptions();
        var cluster = new ClusterOptionSet();
        var runtime = new RuntimeOptionSet();
        var command = new Command(
            "mine",
            "Mine a redundancy codebook: run the experiments on every image, keep the redundant tokens of small clusters, pool them, keep context-independent clusters, deduplicate, write Parquet v1. Runs as a job on silos started in this process (--local-silos, default 1) or on a running cluster (--cluster).")
        {
            output, results, json, force, allowEmpty,
        };
        spec.AddTo(command);
        cluster.AddTo(command);
        runtime.AddTo(command);
        command.SetAction((result, cancellation) => CommandFailure.GuardAsync(async () =>
        {
            var job = spec.Read(result);
            InputPaths.RequireName(result.GetValue(spec.JobId), "--job-id");
            InputPaths.RequireName(result.GetValue(spec.Codebook), "--codebook");
            var local = !cluster.UsesRunningCluster(result);
            if (local)
            {
                // With --cluster the silos read these paths, which this machine may not see.
                InputPaths.RequireCheckpoint(job.Model, "--model");
                InputPaths.RequireImages(job.Images, "--images");
            }

            // The listing is read here too (the silos read it again), so a bad manifest is reported before any warning or silo.
            var imageCount = local ? InputPaths.CountImages(job.Images, "--images") : 0;

            var codebookPath = result.GetValue(output)!;
            var resultsPath = result.GetValue(results);
            OutputFile.RequireWritable(codebookPath, "--out", result.GetValue(force));
            if (resultsPath is not null)
            {
                OutputFile.RequireWritable(resultsPath, "--results", result.GetValue(force));
                OutputFile.RequireDistinct(codebookPath, resultsPath, "the codebook and the per-image results");
                if (cluster.UsesRunningCluster(result) && result.GetValue(cluster.Artifacts) is null)
                {
                    throw new ArgumentException("--results with --cluster needs --artifacts DIR: the cluster's shared artifact folder (its silos' Mining:Artifacts:Root) as this machine sees it");
                }
            }

            if (local)
            {
                InputPaths.WarnOnFolderNameId(job.Model, job.ModelId);
                MiningFunnel.WarnIfTooFewImages(imageCount, spec.Parameters.Read(result, job.Model).MinUniqueImages, Console.Error.WriteLine);
            }

            await using var session = await cluster.OpenAsync(result, runtime, cancellation);
            var progress = new ProgressBar();
            JobOutcome outcome;
            try
            {
                outcome = await JobRun.RunAsync(
                    session,
                    job,
                    codebookPath,
                    resultsPath,
                    _ => Console.Error.WriteLine($"job {job.JobId} on {session.Description}"),
                    status =>
                    {
                        progress.Report(status);
                        return Task.CompletedTask;
                    },
                    cancellation,
                    writeEmpty: result.GetValue(allowEmpty));
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                progress.Close();
                Console.Error.WriteLine($"mining: interrupted; job {job.JobId} cancelled");
                return 130;
            }

            if (outcome.Summary is not { } summary)
            {
                Console.Error.WriteLine($"mining: error: {JobRun.Unfinished(outcome.Status)}");
                return ExitCodes.Failed;
            }

            if (!outcome.CodebookWritten)
            {
                summary = summary with { Codebook = "not written (empty)" };
            }

            var funnel = MiningFunnel.Of(summary);
            var emptyBecause = funnel.EmptyBecause(MiningParameters.FromJson(summary.ParametersJson));
            Console.WriteLine(result.GetValue(json) ? SummaryJson(summary, funnel, emptyBecause) : summary.ToText());
            Console.Error.WriteLine($"funnel: {funnel.ToText()}");
            if (summary.ImagesOk == 0)
            {
                // The summary lists each image's reason; an empty codebook from nothing is not a result.
                Console.Error.WriteLine($"mining: error: every one of the {summary.Images} images failed; no codebook written");
                return ExitCodes.Failed;
            }

            if (summary.PrototypesAfterDedup == 0 && result.GetValue(allowEmpty))
            {
                Console.Error.WriteLine($"mining: warning: the codebook is empty: {emptyBecause}");
            }

            if (summary.PrototypesAfterDedup == 0 && !result.GetValue(allowEmpty))
            {
                Console.Error.WriteLine($"mining: error: the codebook came out empty: {emptyBecause}; no codebook written (--allow-empty writes it)");
                return ExitCodes.EmptyCodebook;
            }

            return 0;
        }));
        return command;
    }

    // The parameters go out as a JSON object, as in `codebook info --json`, not as a string that holds JSON.
    private static string SummaryJson(MiningSummary summary, MiningFunnel funnel, string? emptyBecause)
    {
        var node = JsonSerializer.SerializeToNode(summary, CliJson.Options)!.AsObject();
        node.Remove("parameters_json");
        node["parameters"] = JsonNode.Parse(summary.ParametersJson);
        node["funnel"] = JsonSerializer.SerializeToNode(funnel, CliJson.Options);
        node["empty_because"] = emptyBecause;
        return node.ToJsonString(CliJson.Options);
    }
}
