using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Mining.Kernels.Checkpoints;
using Mining.Kernels.Experiments;
using Mining.Kernels.Imaging;
using Mining.Kernels.IO;
using Mining.Kernels.Model;

namespace Mining.Client.Commands;

/// <summary><c>mining experiment</c>: the redundancy experiments on one image, token by token.</summary>
internal static class ExperimentCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Checkpoint directory.", Required = true };
        var image = new Option<string>("--image") { Description = "Image file (PNG, JPEG, ...).", Required = true };
        var allTokens = new Option<bool>("--all-tokens") { Description = "Evaluate every visual token instead of the reference's candidate ranks." };
        var aspect = ImageAspectOption.Create();
        var heatmap = new Option<string?>("--heatmap") { Description = "Write a PNG of the cropped input with each evaluated token shaded by its redundancy score, redundant tokens outlined, and a title, legend, colour bar and the thresholds below it." };
        var json = new Option<bool>("--json") { Description = "Print {grid, tokens: [...]} as JSON on stdout (logs go to stderr)." };
        var force = ForceOption.Create();
        var parameters = new MiningParameterOptions();
        var runtime = new RuntimeOptionSet();
        var command = new Command("experiment", "Run the redundancy experiments on one image: each candidate token's [CLS] rank, single-input top-1 probability, regional and global leave-one-out JSD, and redundancy. " +
            "A token is redundant when its top-1 probability is below --top1-thres and its weighted JSD (k_region·JSD_region + k_global·JSD_global) is below --jsd-thres. " +
            "The heat map's redundancy score is 1 − max(weighted JSD / jsd_thres, top-1 probability / top1_thres), clamped to [0, 1]: above 0 exactly when both conditions hold, near 1 when the token says nothing alone and changes nothing when removed.")
        {
            model, image, allTokens, aspect, heatmap, force, json,
        };
        parameters.AddTo(command);
        parameters.HideCodebookStages();
        runtime.AddTo(command);
        command.SetAction(result => CommandFailure.Guard(() =>
        {
            var p = parameters.Read(result, result.GetValue(model));
            InputPaths.RequireCheckpoint(result.GetValue(model)!, "--model");
            InputPaths.RequireImageFile(result.GetValue(image)!, "--image");
            if (result.GetValue(heatmap) is { } heatmapOut)
            {
                OutputFile.RequireWritable(heatmapOut, "--heatmap", result.GetValue(force));
            }

            using var llava = LlavaRuntime.Load(result.GetValue(model)!, runtime.Read(result), maxBatchTokens: result.GetValue(runtime.MaxBatchTokens));
            var skipTokenIds = llava.SkipTokenIds(p.SkipLeadingTokens);
            var preprocessor = new ImagePreprocessor(llava.Preprocessor, ImageAspectOption.Read(result, aspect));
            var imagePath = result.GetValue(image)!;
            var pixels = preprocessor.Preprocess(ImageDecoder.Decode(imagePath));
            using var encoded = llava.Encode(pixels.PixelValues);
            var mode = result.GetValue(allTokens) ? CandidateMode.All : CandidateMode.Reference;
            var candidates = CandidateSelection.TokensByRank(CandidateSelection.Ranks(encoded.TokenCount, mode), encoded.Ranking.Ranks);
            var started = DateTime.UtcNow;
            var outcome = ImageExperiment.Run(new RuntimeVariantScorer(llava, encoded, p.PadTokenId, skipTokenIds), encoded.Grid, encoded.Ranking, candidates, p);
            var elapsed = DateTime.UtcNow - started;
            Console.Error.WriteLine($"{imagePath}: {candidates.Length} candidate tokens of {encoded.TokenCount}, {llava.ForwardCalls} forward calls, {elapsed.TotalSeconds:F2} s");
            if (skipTokenIds.Length > 0)
            {
                Console.Error.WriteLine($"{llava.LeadSkips} variants measured after a skipped leading {MiningParameterOptions.FormatTokens(p.SkipLeadingTokens)}{(outcome.BaselineLeadSkipped ? ", the baseline among them" : "")}");
            }

            if (result.GetValue(heatmap) is { } heatmapPath)
            {
                var scores = new double[encoded.TokenCount];
                var redundant = new bool[encoded.TokenCount];
                var skipped = new bool[encoded.TokenCount];
                Array.Fill(scores, double.NaN);
                foreach (var token in outcome.Tokens)
                {
                    scores[token.TokenIndex] = RedundancyScore.Of(token, p);
                    redundant[token.TokenIndex] = token.Redundant;
                    skipped[token.TokenIndex] = token.LeadSkipped.Any;
                }

                var legend = new HeatmapLegend(
                    Path.GetFileName(imagePath),
                    CheckpointModelId.Resolve(result.GetValue(model)!, null).Id,
                    string.Create(CultureInfo.InvariantCulture, $"top1_thres {p.Top1Thres}, jsd_thres {p.JsdThres}, k_region {p.KRegion}, k_global {p.KGlobal}, skip_leading_tokens {MiningParameterOptions.FormatTokens(p.SkipLeadingTokens)}"));
                RedundancyHeatmap.Render(pixels.Cropped, encoded.Grid, scores, redundant, heatmapPath, legend: legend, leadSkipped: skipped, baselineLeadSkipped: outcome.BaselineLeadSkipped);
                Console.Error.WriteLine($"wrote heatmap {heatmapPath}");
            }

            if (result.GetValue(json))
            {
                var tokens = outcome.Tokens.Select(t => new
                {
                    token_index = t.TokenIndex,
                    rank = t.Rank,
                    // null for a tower without [CLS] (SigLIP: ranked in token order).
                    cls_similarity = float.IsNaN(t.ClsSimilarity) ? (float?)null : t.ClsSimilarity,
                    window = t.Window,
                    top1_prob = t.Top1Prob,
                    jsd_region = t.JsdRegion,
                    jsd_global = t.JsdGlobal,
                    redundant = t.Redundant,
                    skipped = new
                    {
                        single = t.LeadSkipped.Single,
                        window = t.LeadSkipped.Window,
                        window_center_padded = t.LeadSkipped.WindowCenterPadded,
                        global_window_padded = t.LeadSkipped.GlobalWindowPadded,
                    },
                });
                Console.WriteLine(JsonSerializer.Serialize(new { grid = encoded.Grid, baseline_skipped = outcome.BaselineLeadSkipped, tokens }, CliJson.Options));
            }
            else
            {
                Console.WriteLine(" token  rank  cls_sim   top1_prob   jsd_region   jsd_global  redundant");
                foreach (var t in outcome.Tokens)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{t.TokenIndex,6} {t.Rank,5} {(float.IsNaN(t.ClsSimilarity) ? "-" : t.ClsSimilarity.ToString("F4", CultureInfo.InvariantCulture)),8} {t.Top1Prob,11:F6} {t.JsdRegion,12:E3} {t.JsdGlobal,12:E3}  {(t.Redundant ? "yes" : "")}"));
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{outcome.Tokens.Count(t => t.Redundant)} of {outcome.Tokens.Count} evaluated tokens are redundant (preset {p.Preset}; top1_thres {p.Top1Thres}, jsd_thres {p.JsdThres}, k_region {p.KRegion}, k_global {p.KGlobal})"));
            }

            return 0;
        }));
        return command;
    }
}
