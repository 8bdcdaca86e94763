using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mining.Kernels.Datasets;
using Mining.Kernels.Experiments;
using Mining.Kernels.Pipeline;

namespace Mining.Client.Commands;

/// <summary><c>mining mine</c>: a whole mining run, images to codebook Parquet.</summary>
internal static class MineCommand
{
    public static Command Create()
    {
        var images = new Option<string>("--images") { Description = "A folder of images, or a manifest: CSV or JSONL with image_id and path (relative paths resolve against the manifest's folder).", Required = true };
        var model = new Option<string>("--model") { Description = "Checkpoint directory (Hugging Face LLaVA layout).", Required = true };
        var output = new Option<string>("--out") { Description = "Codebook Parquet file to write.", Required = true };
        var results = new Option<string?>("--results") { Description = "Also write the per-image results (every candidate's measurements, kept embeddings) as Parquet." };
        var modelId = new Option<string?>("--model-id") { Description = "Model id recorded in the codebook (default: the model directory's name)." };
        var allTokens = new Option<bool>("--all-tokens") { Description = "Evaluate every visual token instead of the reference's candidate ranks." };
        var aspect = ImageAspectOption.Create();
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON on stdout (progress goes to stderr)." };
        var parameters = new MiningParameterOptions();
        var runtime = new RuntimeOptionSet();
        var command = new Command("mine", "Mine a redundancy codebook: run the experiments on every image, keep the redundant tokens of small clusters, pool them, keep context-independent clusters, deduplicate, write Parquet v1.")
        {
            images, model, output, results, modelId, allTokens, aspect, json,
        };
        parameters.AddTo(command);
        runtime.AddTo(command);
        command.SetAction(result => CommandFailure.Guard(() =>
        {
            var options = new MiningRunOptions(
                result.GetValue(model)!,
                ImageDataset.Open(result.GetValue(images)!),
                parameters.Read(result),
                result.GetValue(allTokens) ? CandidateMode.All : CandidateMode.Reference,
                ImageAspectOption.Read(result, aspect),
                runtime.Read(result),
                result.GetValue(runtime.MaxBatchTokens),
                result.GetValue(output)!,
                result.GetValue(results),
                result.GetValue(modelId) ?? Path.GetFileName(Path.GetFullPath(result.GetValue(model)!).TrimEnd(Path.DirectorySeparatorChar)));
            var summary = MiningRun.Run(options, new ProgressBar());
            Console.WriteLine(result.GetValue(json) ? SummaryJson(summary) : summary.ToText());
            return 0;
        }));
        return command;
    }

    // The parameters go out as a JSON object, as in `codebook info --json`, not as a string that holds JSON.
    private static string SummaryJson(MiningSummary summary)
    {
        var node = JsonSerializer.SerializeToNode(summary, CliJson.Options)!.AsObject();
        node.Remove("parameters_json");
        node["parameters"] = JsonNode.Parse(summary.ParametersJson);
        return node.ToJsonString(CliJson.Options);
    }
}
