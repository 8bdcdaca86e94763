using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mining.Kernels.Checkpoints;

/// <summary>
/// A Hugging Face LLaVA <c>config.json</c>: LLaVA-1.5 (<c>LlavaForConditionalGeneration</c>) or LLaVA-NeXT
/// (<c>LlavaNextForConditionalGeneration</c>) — CLIP vision tower, GELU projector, LLaMA — or LLaVA-OneVision
/// (<c>LlavaOnevisionForConditionalGeneration</c>) — SigLIP, GELU projector, Qwen2. Absent fields take transformers' defaults.
/// </summary>
/// <remarks>
/// Defaults from transformers' models/llava/configuration_llava.py and models/llava_next/configuration_llava_next.py, which
/// agree on every field Mining reads, and models/llava_onevision/configuration_llava_onevision.py (SigLIP and Qwen2 when the
/// sub-configs name no model_type, image token 151646, feature layer −1, strategy "full"). NeXT and OneVision add
/// <c>image_grid_pinpoints</c>, read and kept for inference (mining uses one base view, MODELS.md); OneVision's
/// <c>vision_aspect_ratio</c> and <c>use_image_newline_parameter</c> only steer its any-resolution tiles and are not read.
/// </remarks>
public sealed record LlavaConfig
{
    /// <summary>LLaVA-1.5's top-level <c>model_type</c>.</summary>
    public const string LlavaModelType = "llava";

    /// <summary>LLaVA-NeXT's top-level <c>model_type</c>.</summary>
    public const string NextModelType = "llava_next";

    /// <summary>LLaVA-OneVision's top-level <c>model_type</c>.</summary>
    public const string OnevisionModelType = "llava_onevision";

    /// <summary>LLaVA-1.5's <c>architectures</c> entry.</summary>
    public const string Architecture = "LlavaForConditionalGeneration";

    /// <summary>LLaVA-NeXT's <c>architectures</c> entry.</summary>
    public const string NextArchitecture = "LlavaNextForConditionalGeneration";

    /// <summary>LLaVA-OneVision's <c>architectures</c> entry.</summary>
    public const string OnevisionArchitecture = "LlavaOnevisionForConditionalGeneration";

    /// <summary>transformers' <c>LlavaOnevisionConfig</c> default <c>image_token_index</c> (Qwen2's <c>&lt;image&gt;</c>).</summary>
    public const int OnevisionDefaultImageTokenIndex = 151646;

    /// <summary>transformers' <c>LlavaOnevisionConfig</c> default <c>image_grid_pinpoints</c>: every (h, w) with h, w in 384, 768, …, 2304.</summary>
    public static readonly IReadOnlyList<(int Height, int Width)> OnevisionDefaultGridPinpoints =
        [.. from h in Enumerable.Range(1, 6) from w in Enumerable.Range(1, 6) select (384 * h, 384 * w)];

    /// <summary>transformers' <c>LlavaNextConfig</c> default <c>image_grid_pinpoints</c> (height, width).</summary>
    public static readonly IReadOnlyList<(int Height, int Width)> NextDefaultGridPinpoints = [(336, 672), (672, 336), (672, 672), (1008, 336), (336, 1008)];

    /// <summary>The top-level <c>model_type</c>: <see cref="LlavaModelType"/>, <see cref="NextModelType"/> or <see cref="OnevisionModelType"/>.</summary>
    public string ModelType { get; init; } = LlavaModelType;

    /// <summary>Whether this is a LLaVA-NeXT checkpoint.</summary>
    public bool IsNext => ModelType == NextModelType;

    /// <summary>Whether this is a LLaVA-OneVision checkpoint.</summary>
    public bool IsOnevision => ModelType == OnevisionModelType;

    /// <summary>Whether the checkpoint stores <c>image_newline</c> (NeXT and OneVision; read by their any-resolution views, never by mining).</summary>
    public bool HasImageNewline => IsNext || IsOnevision;

    /// <summary>The any-resolution grid of NeXT and OneVision (<c>image_grid_pinpoints</c>, [height, width] pairs), kept for inference; empty for LLaVA-1.5. Mining mines the base view only.</summary>
    public IReadOnlyList<(int Height, int Width)> ImageGridPinpoints { get; init; } = [];

    /// <summary>The only supported <see cref="ProjectorHiddenAct"/> (erf GELU).</summary>
    public const string SupportedProjectorAct = "gelu";

    /// <summary>The <see cref="VisionFeatureSelectStrategy"/> a CLIP tower needs: patch features without [CLS].</summary>
    public const string SupportedSelectStrategy = "default";

    /// <summary>The <see cref="VisionFeatureSelectStrategy"/> a SigLIP tower needs: every patch (it has no [CLS] to drop).</summary>
    public const string FullSelectStrategy = "full";

    public TextConfig Text { get; init; } = new();

    public VisionConfig Vision { get; init; } = VisionConfig.LlavaDefault;

    /// <summary>The family's config defaults (field absent from config.json).</summary>
    private static (string Text, string Vision, VisionConfig AbsentVision, int ImageToken, int FeatureLayer, string Strategy) DefaultsOf(string modelType) =>
        modelType == OnevisionModelType
            ? (TextConfig.Qwen2ModelType, VisionConfig.SiglipModelType, VisionConfig.OnevisionDefault, OnevisionDefaultImageTokenIndex, -1, FullSelectStrategy)
            : (TextConfig.LlamaModelType, VisionConfig.ClipModelType, VisionConfig.LlavaDefault, 32000, -2, SupportedSelectStrategy);

    /// <summary>The id of the <c>&lt;image&gt;</c> placeholder token (32000 for llava-hf checkpoints).</summary>
    public int ImageTokenIndex { get; init; } = 32000;

    /// <summary>config.json's <c>pad_token_id</c> (llava-hf: 32001, an added <c>&lt;pad&gt;</c>). Not the embedding mining pads ablated tokens with: that is a mining parameter (ARCHITECTURE.md §1).</summary>
    public int? PadTokenId { get; init; }

    /// <summary>Which vision hidden state feeds the projector: −2 is the input of the last encoder layer.</summary>
    public int VisionFeatureLayer { get; init; } = -2;

    public string VisionFeatureSelectStrategy { get; init; } = SupportedSelectStrategy;

    public string ProjectorHiddenAct { get; init; } = SupportedProjectorAct;

    /// <summary>The dtype the weights were saved in (<c>torch_dtype</c>, or <c>dtype</c> in transformers 5), e.g. "float16"; informational.</summary>
    public string? TorchDtype { get; init; }

    /// <summary>The LLM vocabulary: <see cref="TextConfig.VocabSize"/> (the top-level <c>vocab_size</c> is deprecated in transformers and ignored, as there).</summary>
    public int VocabSize => Text.VocabSize;

    /// <inheritdoc/>
    public bool Equals(LlavaConfig? other) =>
        other is not null &&
        ModelType == other.ModelType && ImageGridPinpoints.SequenceEqual(other.ImageGridPinpoints) &&
        Text.Equals(other.Text) && Vision.Equals(other.Vision) && ImageTokenIndex == other.ImageTokenIndex &&
        PadTokenId == other.PadTokenId && VisionFeatureLayer == other.VisionFeatureLayer &&
        VisionFeatureSelectStrategy == other.VisionFeatureSelectStrategy && ProjectorHiddenAct == other.ProjectorHiddenAct &&
        TorchDtype == other.TorchDtype;

    /// <inheritdoc/>
    public override int GetHashCode() =>
        HashCode.Combine(ModelType, ImageGridPinpoints.Count, Text, Vision, ImageTokenIndex, PadTokenId, VisionFeatureLayer, HashCode.Combine(VisionFeatureSelectStrategy, ProjectorHiddenAct, TorchDtype));

    /// <summary>Reads and validates <paramref name="configJsonPath"/>; a missing file, malformed JSON or an unsupported model raises <see cref="CheckpointException"/> naming the file and the field.</summary>
    public static LlavaConfig Load(string configJsonPath)
    {
        if (!File.Exists(configJsonPath))
        {
            throw new CheckpointException($"{configJsonPath}: config.json not found: a Hugging Face model folder must hold its config.json");
        }

        string text;
        try
        {
            text = File.ReadAllText(configJsonPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"{configJsonPath}: cannot read config.json: {e.Message}", e);
        }

        return Parse(text, configJsonPath);
    }

    /// <summary>Parses config.json text; <paramref name="source"/> names it in error messages.</summary>
    public static LlavaConfig Parse(string json, string source)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"{source}: config.json is not valid JSON: {e.Message}", e);
        }

        if (root is not JsonObject obj)
        {
            throw new CheckpointException($"{source}: config.json must hold a JSON object");
        }

        var top = new ConfigSection(obj, source, "");
        if (!top.Has("model_type"))
        {
            throw top.Fail("model_type", $"is missing; a LLaVA config.json says \"model_type\": \"{LlavaModelType}\", \"{NextModelType}\" or \"{OnevisionModelType}\"");
        }

        var modelType = top.String("model_type", "");
        if (modelType is not (LlavaModelType or NextModelType or OnevisionModelType))
        {
            throw top.Fail(
                "model_type",
                $"is '{modelType}'; Mining supports model_type '{LlavaModelType}' ({Architecture}, LLaVA-1.5), '{NextModelType}' ({NextArchitecture}, " +
                $"LLaVA-NeXT) and '{OnevisionModelType}' ({OnevisionArchitecture}, LLaVA-OneVision): a CLIP or SigLIP vision tower, a two-layer GELU projector " +
                "and a LLaMA or Qwen2 language model. Other multimodal and text-only models are not supported");
        }

        var defaults = DefaultsOf(modelType);
        var text = TextConfig.Read(top.Section("text_config"), defaults.Text);
        var vision = VisionConfig.Read(top.Section("vision_config"), defaults.AbsentVision, defaults.Vision);

        // configuration_llava.py copies text_config.tie_word_embeddings up when the top-level flag is false.
        if (top.Bool("tie_word_embeddings", false))
        {
            text = text with { TieWordEmbeddings = true };
        }

        if (!top.Bool("multimodal_projector_bias", true))
        {
            throw top.Fail("multimodal_projector_bias", "is false; Mining's projector expects LLaVA-1.5's linear layers with biases");
        }

        if (top.Node("vision_feature_layer") is JsonArray)
        {
            throw top.Fail("vision_feature_layer", "is a list; Mining ranks and projects the features of one vision layer only");
        }

        var config = new LlavaConfig
        {
            ModelType = modelType,
            ImageGridPinpoints = modelType switch
            {
                NextModelType => GridPinpoints(top, NextDefaultGridPinpoints),
                OnevisionModelType => GridPinpoints(top, OnevisionDefaultGridPinpoints),
                _ => [],
            },
            Text = text,
            Vision = vision,
            // transformers maps the alias image_token_id onto image_token_index (LlavaConfig.attribute_map).
            ImageTokenIndex = top.Has("image_token_index") ? top.Int("image_token_index", defaults.ImageToken) : top.Int("image_token_id", defaults.ImageToken),
            PadTokenId = top.OptionalInt("pad_token_id"),
            VisionFeatureLayer = top.Int("vision_feature_layer", defaults.FeatureLayer),
            VisionFeatureSelectStrategy = top.String("vision_feature_select_strategy", defaults.Strategy),
            ProjectorHiddenAct = top.String("projector_hidden_act", SupportedProjectorAct),
            TorchDtype = top.OptionalString("torch_dtype") ?? top.OptionalString("dtype"),
        };
        config.Validate(source);
        return config;
    }

    /// <summary><c>image_grid_pinpoints</c>: a list of [height, width] pairs of positive sizes; absent means transformers' default.</summary>
    private static IReadOnlyList<(int Height, int Width)> GridPinpoints(ConfigSection top, IReadOnlyList<(int Height, int Width)> absent)
    {
        var node = top.Node("image_grid_pinpoints");
        if (node is null)
        {
            return absent;
        }

        if (node is not JsonArray pairs || pairs.Count == 0)
        {
            throw top.Fail("image_grid_pinpoints", $"must be a non-empty list of [height, width] pairs, got {ConfigSection.Show(node)}");
        }

        var result = new List<(int, int)>();
        foreach (var pair in pairs)
        {
            if (pair is not JsonArray { Count: 2 } sizes
                || sizes.Any(size => size is not JsonValue value || !value.TryGetValue<int>(out var n) || n <= 0))
            {
                throw top.Fail("image_grid_pinpoints", $"holds {ConfigSection.Show(pair)}; each entry is a [height, width] pair of positive integers");
            }

            result.Add((sizes[0]!.GetValue<int>(), sizes[1]!.GetValue<int>()));
        }

        return result;
    }

    /// <summary>Throws <see cref="CheckpointException"/> naming <paramref name="source"/> and the field when any part of the configuration is inconsistent or unsupported.</summary>
    public void Validate(string source)
    {
        Text.Validate(source);
        Vision.Validate(source);
        var check = new ConfigCheck(source, "");
        if (ModelType is not (LlavaModelType or NextModelType or OnevisionModelType))
        {
            throw check.Fail("model_type", $"is '{ModelType}'; Mining supports '{LlavaModelType}', '{NextModelType}' and '{OnevisionModelType}'");
        }

        if (ImageTokenIndex < 0)
        {
            throw check.Fail("image_token_index", $"must be a non-negative token id, got {ImageTokenIndex}");
        }

        if (PadTokenId < 0)
        {
            throw check.Fail("pad_token_id", $"must be a non-negative token id, got {PadTokenId}");
        }

        // hidden_states holds the embeddings plus one entry per layer, indexable from either end.
        var states = Vision.NumHiddenLayers + 1;
        if (VisionFeatureLayer < -states || VisionFeatureLayer >= states)
        {
            throw check.Fail("vision_feature_layer", $"({VisionFeatureLayer}) is outside the {states} vision hidden states (valid: {-states}..{states - 1})");
        }

        if (VisionFeatureSelectStrategy is not (SupportedSelectStrategy or FullSelectStrategy))
        {
            throw check.Fail("vision_feature_select_strategy", $"is '{VisionFeatureSelectStrategy}'; transformers accepts 'default' or 'full'");
        }

        // The visual tokens must form the square patch grid: CLIP drops its [CLS] ("default"), SigLIP has none to drop ("full").
        if (Vision.IsSiglip && VisionFeatureSelectStrategy != FullSelectStrategy)
        {
            throw check.Fail("vision_feature_select_strategy", $"is '{VisionFeatureSelectStrategy}'; a SigLIP tower has no [CLS], so Mining needs 'full' (every patch) for a square token grid");
        }

        if (!Vision.IsSiglip && VisionFeatureSelectStrategy != SupportedSelectStrategy)
        {
            throw check.Fail("vision_feature_select_strategy", $"is '{VisionFeatureSelectStrategy}'; Mining needs 'default' (patch features without [CLS]) so the visual tokens form a square grid");
        }

        if (ProjectorHiddenAct != SupportedProjectorAct)
        {
            throw check.Fail("projector_hidden_act", $"is '{ProjectorHiddenAct}'; Mining's projector supports only '{SupportedProjectorAct}'");
        }
    }

    /// <summary>
    /// config.json text in the published llava-hf layout (nested <c>text_config</c> / <c>vision_config</c>, <c>architectures</c>).
    /// With <paramref name="omitDefaultFields"/>, fields equal to what <see cref="Load"/> assumes when they are absent are left out,
    /// as in llava-hf's own files; the result loads back equal either way.
    /// </summary>
    public string ToJson(bool omitDefaultFields = false)
    {
        var json = new JsonObject
        {
            ["architectures"] = new JsonArray(ModelType switch { NextModelType => NextArchitecture, OnevisionModelType => OnevisionArchitecture, _ => Architecture }),
            ["model_type"] = ModelType,
        };

        var fields = new ConfigWriter(json, omitDefaultFields);

        var defaults = DefaultsOf(ModelType);
        fields.Put("image_token_index", ImageTokenIndex, defaults.ImageToken);
        if (PadTokenId is { } pad)
        {
            json["pad_token_id"] = pad;
        }

        fields.Put("projector_hidden_act", ProjectorHiddenAct, SupportedProjectorAct);
        if ((IsNext || IsOnevision) && !(omitDefaultFields && ImageGridPinpoints.SequenceEqual(IsNext ? NextDefaultGridPinpoints : OnevisionDefaultGridPinpoints)))
        {
            json["image_grid_pinpoints"] = new JsonArray([.. ImageGridPinpoints.Select(p => (JsonNode)new JsonArray(p.Height, p.Width))]);
        }

        json["text_config"] = Text.ToJson(omitDefaultFields);
        json["vision_config"] = Vision.ToJson(omitDefaultFields);
        fields.Put("vision_feature_layer", VisionFeatureLayer, defaults.FeatureLayer);
        fields.Put("vision_feature_select_strategy", VisionFeatureSelectStrategy, defaults.Strategy);
        if (TorchDtype is not null)
        {
            json["torch_dtype"] = TorchDtype;
        }

        if (!omitDefaultFields)
        {
            json["vocab_size"] = VocabSize;
        }

        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    /// <summary>Writes <see cref="ToJson"/> to <paramref name="path"/>.</summary>
    public void Save(string path, bool omitDefaultFields = false) => File.WriteAllText(path, ToJson(omitDefaultFields));
}
