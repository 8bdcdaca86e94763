using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mining.Kernels.Imaging;

namespace Mining.Kernels.Checkpoints;

/// <summary>Writes a complete tiny checkpoint of a LLaVA family: config and random weights, the family's small tokenizer, and its image processor settings.</summary>
public static class TinyCheckpoint
{
    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming the option when <paramref name="spec"/> cannot be written (a family without tiny
    /// checkpoints, a vocabulary smaller than the tokenizer), or <see cref="CheckpointException"/> for inconsistent sizes; writes nothing.
    /// </summary>
    public static void Validate(TinyCheckpointSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var config = spec.ToConfig();
        if (spec.VocabSize < spec.Tokenizer.Size)
        {
            throw new ArgumentException($"--vocab must be at least {spec.Tokenizer.Size} (the tiny {spec.Family.Name} tokenizer's ids, <image> included), got {spec.VocabSize}", nameof(spec));
        }

        config.Validate("tiny checkpoint spec");
    }

    /// <summary>Writes every file of the checkpoint into <paramref name="directory"/>; the result loads like a downloaded one.</summary>
    public static void Create(TinyCheckpointSpec spec, string directory)
    {
        Validate(spec);
        TinyCheckpointWeights.Write(spec, directory);
        if (spec.ModelId is { } id)
        {
            CheckpointModelId.Write(directory, id);
        }

        spec.Tokenizer.Write(directory);
        File.WriteAllText(Path.Combine(directory, "preprocessor_config.json"), PreprocessorJson(spec), new UTF8Encoding(false));
    }

    /// <summary>
    /// The family's image processor at the checkpoint's image size: LLaVA-1.5 <c>CLIPImageProcessor</c> (shortest edge, centre
    /// crop, CLIP mean/std); LLaVA-NeXT the same fields as <c>LlavaNextImageProcessor</c> with its any-resolution fields (unused by
    /// mining); LLaVA-OneVision <c>LlavaOnevisionImageProcessor</c>: a square <c>size</c>, no crop, mean and std 0.5.
    /// </summary>
    public static string PreprocessorJson(TinyCheckpointSpec spec)
    {
        var side = spec.Grid * spec.PatchSize;
        var clip = new PreprocessorConfig { ShortestEdge = side, CropHeight = side, CropWidth = side };
        switch (spec.Family.Name)
        {
            case "llava":
                return clip.ToJson();
            case "next":
                var next = JsonNode.Parse(clip.ToJson())!.AsObject();
                next["image_processor_type"] = "LlavaNextImageProcessor";
                next["processor_class"] = "LlavaNextProcessor";
                next["aspect_ratio_setting"] = "anyres";
                next["do_pad"] = true;
                next["image_grid_pinpoints"] = GridPinpoints(LlavaConfig.NextDefaultGridPinpoints);
                return Indented(next);
            case "onevision":
                return Indented(new JsonObject
                {
                    ["do_convert_rgb"] = true,
                    ["do_normalize"] = true,
                    ["do_pad"] = true,
                    ["do_rescale"] = true,
                    ["do_resize"] = true,
                    ["image_mean"] = new JsonArray(0.5, 0.5, 0.5),
                    ["image_processor_type"] = "LlavaOnevisionImageProcessor",
                    ["image_std"] = new JsonArray(0.5, 0.5, 0.5),
                    ["processor_class"] = "LlavaOnevisionProcessor",
                    ["resample"] = (int)ResampleFilter.Bicubic,
                    ["rescale_factor"] = 1.0 / 255,
                    ["size"] = new JsonObject { ["height"] = side, ["width"] = side },
                });
            default:
                throw new ArgumentException($"no image processor for the family '{spec.Family.Name}'", nameof(spec));
        }
    }

    private static JsonArray GridPinpoints(IReadOnlyList<(int Height, int Width)> pinpoints) =>
        new([.. pinpoints.Select(p => (JsonNode)new JsonArray(p.Height, p.Width))]);

    private static string Indented(JsonObject json) => json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
}
