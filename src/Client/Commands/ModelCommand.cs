using System.CommandLine;
using System.Text.Json;
using Mining.Kernels.Checkpoints;
using Mining.Kernels.Imaging;
using Mining.Kernels.IO;
using Mining.Kernels.Model;

namespace Mining.Client.Commands;

/// <summary><c>mining model make-tiny | info | logits</c>.</summary>
internal static class ModelCommand
{
    public static Command Create() => new("model", "Create, inspect and run LLaVA checkpoints in the Hugging Face layout.")
    {
        MakeTiny(),
        Info(),
        Logits(),
    };

    private static Command MakeTiny()
    {
        var defaults = new TinyCheckpointSpec();
        var outDir = new Option<string>("--out") { Description = "Directory to write the checkpoint into (created in an existing folder; an existing non-empty one needs --force).", Required = true };
        var force = ForceOption.Create();
        var seed = new Option<int>("--seed") { Description = "Seed of the random weights: the same options and seed give identical files.", DefaultValueFactory = _ => defaults.Seed };
        var grid = new Option<int>("--grid") { Description = "Visual tokens per image side (LLaVA-1.5: 24).", DefaultValueFactory = _ => defaults.Grid };
        var patch = new Option<int>("--patch-size") { Description = "Pixels per patch side (image side = grid × patch).", DefaultValueFactory = _ => defaults.PatchSize };
        var visionHidden = new Option<int>("--vision-hidden") { Description = "CLIP hidden size.", DefaultValueFactory = _ => defaults.VisionHidden };
        var visionLayers = new Option<int>("--vision-layers") { Description = "CLIP encoder layers (≥ 2: LLaVA reads the second-to-last).", DefaultValueFactory = _ => defaults.VisionLayers };
        var visionHeads = new Option<int>("--vision-heads") { Description = "CLIP attention heads.", DefaultValueFactory = _ => defaults.VisionHeads };
        var visionIntermediate = new Option<int>("--vision-intermediate") { Description = "CLIP MLP width.", DefaultValueFactory = _ => defaults.VisionIntermediate };
        var textHidden = new Option<int>("--text-hidden") { Description = "LLaMA hidden size.", DefaultValueFactory = _ => defaults.TextHidden };
        var textLayers = new Option<int>("--text-layers") { Description = "LLaMA decoder layers.", DefaultValueFactory = _ => defaults.TextLayers };
        var textHeads = new Option<int>("--text-heads") { Description = "LLaMA attention heads.", DefaultValueFactory = _ => defaults.TextHeads };
        var textKvHeads = new Option<int>("--text-kv-heads") { Description = "LLaMA key/value heads (grouped-query attention when fewer than heads).", DefaultValueFactory = _ => defaults.TextKvHeads };
        var textIntermediate = new Option<int>("--text-intermediate") { Description = "LLaMA MLP width.", DefaultValueFactory = _ => defaults.TextIntermediate };
        var family = new Option<string>("--family") { Description = "The LLaVA family: llava (LLaVA-1.5: LLaMA, SentencePiece tokenizer), next (LLaVA-NeXT: LLaMA-3, byte-level BPE tokenizer) or onevision (LLaVA-OneVision: SigLIP, Qwen2, byte-level BPE tokenizer).", DefaultValueFactory = _ => ModelFamily.Llava.Name };
        family.AcceptOnlyFromAmong([.. ModelFamily.All.Select(f => f.Name)]);
        var vocab = new Option<int?>("--vocab") { Description = "Vocabulary size, at least the family's tiny tokenizer (default: its ids rounded up to a multiple of 64: llava 448, onevision and next 704)." };
        var layout = new Option<string>("--layout") { Description = "Tensor names: published (llava-hf's files) or current (what current transformers writes).", DefaultValueFactory = _ => "published" };
        layout.AcceptOnlyFromAmong("published", "current");
        var dtype = new Option<string>("--dtype") { Description = "Weight dtype on disk: fp32, fp16 or bf16.", DefaultValueFactory = _ => "fp32" };
        dtype.AcceptOnlyFromAmong("fp32", "fp16", "bf16");
        var shards = new Option<int>("--shards") { Description = "1 writes model.safetensors; N > 1 writes model.safetensors.index.json and N shards.", DefaultValueFactory = _ => 1 };
        var modelId = new Option<string?>("--model-id") { Description = "Model id written into config.json (_name_or_path); mine and demo record it in the codebook (default: mining-tiny-FAMILY)." };
        var omitDefaults = new Option<bool>("--omit-default-config") { Description = "Leave config fields equal to transformers' defaults out of config.json, as llava-hf's files do." };
        var tie = new Option<bool>("--tie-word-embeddings") { Description = "Tie the LM head to the token embeddings: config says tie_word_embeddings and no lm_head tensor is written (as small Qwen2 checkpoints come)." };

        var command = new Command("make-tiny", "Write a complete HF-layout LLaVA checkpoint of a family with seeded random weights and its own small tokenizer.")
        {
            outDir, family, seed, grid, patch, visionHidden, visionLayers, visionHeads, visionIntermediate,
            textHidden, textLayers, textHeads, textKvHeads, textIntermediate, vocab, layout, dtype, shards, omitDefaults, tie, modelId, force,
        };
        command.SetAction(result => CommandFailure.Guard(() =>
        {
            var chosen = ModelFamily.All.Single(f => f.Name == result.GetValue(family));
            var spec = new TinyCheckpointSpec
            {
                Family = chosen,
                Seed = result.GetValue(seed),
                Grid = result.GetValue(grid),
                PatchSize = result.GetValue(patch),
                VisionHidden = result.GetValue(visionHidden),
                VisionLayers = result.GetValue(visionLayers),
                VisionHeads = result.GetValue(visionHeads),
                VisionIntermediate = result.GetValue(visionIntermediate),
                TextHidden = result.GetValue(textHidden),
                TextLayers = result.GetValue(textLayers),
                TextHeads = result.GetValue(textHeads),
                TextKvHeads = result.GetValue(textKvHeads),
                TextIntermediate = result.GetValue(textIntermediate),
                Layout = result.GetValue(layout) == "current" ? CheckpointLayout.Current : CheckpointLayout.Published,
                DType = result.GetValue(dtype) switch { "fp16" => SafeTensorDType.F16, "bf16" => SafeTensorDType.BF16, _ => SafeTensorDType.F32 },
                Shards = result.GetValue(shards),
                OmitDefaultConfigFields = result.GetValue(omitDefaults),
                TieWordEmbeddings = result.GetValue(tie),
                ModelId = result.GetValue(modelId) ?? $"mining-tiny-{chosen.Name}",
            };
            if (result.GetValue(vocab) is { } vocabSize)
            {
                spec = spec with { VocabSize = vocabSize };
            }

            var directory = result.GetValue(outDir)!;
            TinyCheckpoint.Validate(spec);

            // Writing beside existing files could mix this checkpoint with another's shards or tokenizer, so a
            // non-empty folder is replaced as a whole (--force), never written into.
            OutputFile.RequireWritableFolder(directory, "--out", result.GetValue(force));
            OutputFile.WriteFolderAtomically(directory, folder => TinyCheckpoint.Create(spec, folder));
            var summary = CheckpointSummary.Read(directory);
            Console.WriteLine($"wrote {directory}: {summary.Describe()}");
            return 0;
        }));
        return command;
    }

    private static Command Info()
    {
        var directory = new Argument<string>("DIR") { Description = "Checkpoint directory (Hugging Face LLaVA layout)." };
        var json = new Option<bool>("--json") { Description = "Print the summary as JSON." };
        var command = new Command("info", "Print a checkpoint's architecture: vision grid, hidden sizes, layers, heads, vocabulary, dtype, parameter count.")
        {
            directory, json,
        };
        command.SetAction(result => CommandFailure.Guard(() =>
        {
            InputPaths.RequireCheckpoint(result.GetValue(directory)!, "DIR");
            var summary = CheckpointSummary.Read(result.GetValue(directory)!);
            Console.WriteLine(result.GetValue(json) ? JsonSerializer.Serialize(summary, CliJson.Options) : summary.ToText());
            return 0;
        }));
        return command;
    }

    private static Command Logits()
    {
        var model = new Option<string>("--model") { Description = "Checkpoint directory.", Required = true };
        var image = new Option<string>("--image") { Description = "Image file (PNG, JPEG, ...).", Required = true };
        var aspect = ImageAspectOption.Create();
        var tokensOut = new Option<string?>("--visual-tokens-out") { Description = "Also write the image's visual tokens [N, D] as float32 .npy." };
        var force = ForceOption.Create();
        var json = new Option<bool>("--json") { Description = "Print {prefix_ids, suffix_ids, grid, logits} as JSON on stdout (logs go to stderr)." };
        var top = new Option<int>("--top") { Description = "Most likely first tokens to list without --json.", DefaultValueFactory = _ => 10 };
        var runtime = new RuntimeOptionSet();
        var command = new Command("logits", "First-answer-token logits of the LLaVA-1.5 prompt with all of an image's visual tokens.")
        {
            model, image, aspect, tokensOut, force, json, top,
        };
        runtime.AddTo(command);
        command.SetAction(result => CommandFailure.Guard(() =>
        {
            // Checked here, not in an option validator: validators also run on values that did not parse
            // ("--top abc"), and reading one of those throws instead of reporting the parse error.
            var topCount = result.GetValue(top);
            if (topCount < 1)
            {
                throw new ArgumentException($"--top must be at least 1, got {topCount}");
            }

            if (result.GetValue(tokensOut) is { } tokensPath)
            {
                OutputFile.RequireWritable(tokensPath, "--visual-tokens-out", result.GetValue(force));
            }

            InputPaths.RequireCheckpoint(result.GetValue(model)!, "--model");
            InputPaths.RequireImageFile(result.GetValue(image)!, "--image");
            using var llava = LlavaRuntime.Load(result.GetValue(model)!, runtime.Read(result), maxBatchTokens: result.GetValue(runtime.MaxBatchTokens));
            var preprocessor = new ImagePreprocessor(llava.Preprocessor, ImageAspectOption.Read(result, aspect));
            var imagePath = result.GetValue(image)!;
            var pixels = preprocessor.Preprocess(ImageDecoder.Decode(imagePath));
            using var encoded = llava.Encode(pixels.PixelValues);
            var logits = llava.BaselineLogits(encoded);
            if (result.GetValue(tokensOut) is { } path)
            {
                NpyFile.WriteAtomically(path, NpyArray.FromFloat32(encoded.VisualTokensToArray(), encoded.TokenCount, llava.Config.Text.HiddenSize));
                Console.Error.WriteLine($"wrote visual tokens [{encoded.TokenCount}, {llava.Config.Text.HiddenSize}] to {path}");
            }

            if (result.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(
                    new { prefix_ids = llava.Prompt.PrefixIds, suffix_ids = llava.Prompt.SuffixIds, grid = encoded.Grid, logits },
                    CliJson.Options));
            }
            else
            {
                Console.WriteLine($"{imagePath}: {encoded.TokenCount} visual tokens ({encoded.Grid}×{encoded.Grid}), vocabulary {logits.Length}");
                foreach (var (id, probability) in TopTokens.Of(logits, topCount))
                {
                    Console.WriteLine($"  {id,6}  {probability,8:P2}  {llava.Tokenizer.IdToPiece(id)}  (logit {logits[id]:F4})");
                }
            }

            return 0;
        }));
        return command;
    }
}
