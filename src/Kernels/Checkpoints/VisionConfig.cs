using System.Text.Json.Nodes;

namespace Mining.Kernels.Checkpoints;

/// <summary>The CLIP vision tower of a LLaVA checkpoint (<c>vision_config</c>); each property's initial value is transformers' <c>CLIPVisionConfig</c> default.</summary>
/// <remarks>Defaults from transformers' models/clip/configuration_clip.py (ViT-B/32 sizes).</remarks>
public sealed record VisionConfig
{
    /// <summary>The only <c>vision_config.model_type</c> Mining runs (also assumed when the field is absent, as LlavaConfig does).</summary>
    public const string ModelType = "clip_vision_model";

    private const string Prefix = "vision_config.";

    private static readonly string[] SupportedActivations = ["quick_gelu", "gelu"];

    /// <summary>
    /// What LlavaConfig uses when config.json has no <c>vision_config</c> at all: CLIP ViT-L/14 at 336 px, LLaVA-1.5's tower
    /// (configuration_llava.py builds it with these arguments; the rest are CLIPVisionConfig defaults).
    /// </summary>
    public static VisionConfig LlavaDefault { get; } = new()
    {
        IntermediateSize = 4096,
        HiddenSize = 1024,
        PatchSize = 14,
        ImageSize = 336,
        NumHiddenLayers = 24,
        NumAttentionHeads = 16,
        ProjectionDim = 768,
    };

    public int HiddenSize { get; init; } = 768;

    public int ImageSize { get; init; } = 224;

    public int PatchSize { get; init; } = 32;

    public int IntermediateSize { get; init; } = 3072;

    public int NumAttentionHeads { get; init; } = 12;

    public int NumHiddenLayers { get; init; } = 12;

    public int NumChannels { get; init; } = 3;

    /// <summary><c>quick_gelu</c> (x·σ(1.702x), OpenAI CLIP) or <c>gelu</c> (erf).</summary>
    public string HiddenAct { get; init; } = "quick_gelu";

    public double LayerNormEps { get; init; } = 1e-5;

    /// <summary>CLIP's joint-embedding size; LLaVA does not use the projection, the field is kept for round trips.</summary>
    public int ProjectionDim { get; init; } = 512;

    /// <summary>Patches per side: <see cref="ImageSize"/> / <see cref="PatchSize"/> (24 for LLaVA-1.5).</summary>
    public int GridSize => ImageSize / PatchSize;

    /// <summary>Patch tokens per image: <see cref="GridSize"/>² (576 for LLaVA-1.5); the tower adds one [CLS].</summary>
    public int NumPatches => GridSize * GridSize;

    /// <summary>Per-head size: <see cref="HiddenSize"/> / <see cref="NumAttentionHeads"/>.</summary>
    public int HeadDim => HiddenSize / NumAttentionHeads;

    /// <summary>Throws <see cref="CheckpointException"/> naming <paramref name="source"/> and the field when the sizes are inconsistent or the activation unsupported.</summary>
    public void Validate(string source)
    {
        var check = new ConfigCheck(source, Prefix);
        check.Positive("hidden_size", HiddenSize);
        check.Positive("image_size", ImageSize);
        check.Positive("patch_size", PatchSize);
        check.Positive("intermediate_size", IntermediateSize);
        check.Positive("num_attention_heads", NumAttentionHeads);
        check.Positive("num_hidden_layers", NumHiddenLayers);
        check.Positive("num_channels", NumChannels);
        check.Positive("projection_dim", ProjectionDim);
        check.PositiveNumber("layer_norm_eps", LayerNormEps);

        if (HiddenSize % NumAttentionHeads != 0)
        {
            throw check.Fail("hidden_size", $"({HiddenSize}) is not divisible by {Prefix}num_attention_heads ({NumAttentionHeads})");
        }

        if (ImageSize % PatchSize != 0)
        {
            throw check.Fail("image_size", $"({ImageSize}) is not divisible by {Prefix}patch_size ({PatchSize}): the patches must tile the image");
        }

        if (!SupportedActivations.Contains(HiddenAct))
        {
            throw check.Fail("hidden_act", $"is '{HiddenAct}'; Mining's CLIP supports only {string.Join(" and ", SupportedActivations.Select(a => $"'{a}'"))}");
        }
    }

    /// <summary>Reads <c>vision_config</c>; an absent section is <see cref="LlavaDefault"/>.</summary>
    internal static VisionConfig Read(ConfigSection? section)
    {
        if (section is null)
        {
            return LlavaDefault;
        }

        // configuration_llava.py: vision_config["model_type"] = vision_config.get("model_type", "clip_vision_model").
        var modelType = section.String("model_type", ModelType);
        if (modelType != ModelType)
        {
            throw section.Fail("model_type", $"is '{modelType}'; Mining's LLaVA runs a CLIP vision tower ('{ModelType}') only");
        }

        var defaults = new VisionConfig();
        return new VisionConfig
        {
            HiddenSize = section.PositiveInt("hidden_size", defaults.HiddenSize),
            ImageSize = section.PositiveInt("image_size", defaults.ImageSize),
            PatchSize = section.PositiveInt("patch_size", defaults.PatchSize),
            IntermediateSize = section.PositiveInt("intermediate_size", defaults.IntermediateSize),
            NumAttentionHeads = section.PositiveInt("num_attention_heads", defaults.NumAttentionHeads),
            NumHiddenLayers = section.PositiveInt("num_hidden_layers", defaults.NumHiddenLayers),
            NumChannels = section.PositiveInt("num_channels", defaults.NumChannels),
            HiddenAct = section.String("hidden_act", defaults.HiddenAct),
            LayerNormEps = section.PositiveDouble("layer_norm_eps", defaults.LayerNormEps),
            ProjectionDim = section.PositiveInt("projection_dim", defaults.ProjectionDim),
        };
    }

    internal JsonObject ToJson(bool omitDefaultFields)
    {
        var defaults = new VisionConfig();
        var json = new JsonObject { ["model_type"] = ModelType };

        var fields = new ConfigWriter(json, omitDefaultFields);

        fields.Put("hidden_size", HiddenSize, defaults.HiddenSize);
        fields.Put("image_size", ImageSize, defaults.ImageSize);
        fields.Put("intermediate_size", IntermediateSize, defaults.IntermediateSize);
        fields.Put("num_attention_heads", NumAttentionHeads, defaults.NumAttentionHeads);
        fields.Put("num_hidden_layers", NumHiddenLayers, defaults.NumHiddenLayers);
        fields.Put("num_channels", NumChannels, defaults.NumChannels);
        fields.Put("patch_size", PatchSize, defaults.PatchSize);
        fields.Put("projection_dim", ProjectionDim, defaults.ProjectionDim);
        fields.Put("hidden_act", HiddenAct, defaults.HiddenAct);
        fields.Put("layer_norm_eps", LayerNormEps, defaults.LayerNormEps);
        return json;
    }
}
