using System.Text.Json.Nodes;

namespace Mining.Kernels.Checkpoints;

/// <summary>
/// The vision tower of a LLaVA checkpoint (<c>vision_config</c>): CLIP (LLaVA-1.5, LLaVA-NeXT) or SigLIP (LLaVA-OneVision).
/// Each property's initial value is transformers' <c>CLIPVisionConfig</c> default; <see cref="SiglipDefaults"/> holds
/// <c>SiglipVisionConfig</c>'s.
/// </summary>
/// <remarks>
/// Defaults from transformers' models/clip/configuration_clip.py (ViT-B/32 sizes) and models/siglip/configuration_siglip.py
/// (ViT-B/16 sizes, <c>gelu_pytorch_tanh</c>, eps 1e-6). The two towers share the encoder layers; SigLIP has no class token,
/// no pre-layernorm and a patch embedding with a bias, and its patch grid is <c>image_size // patch_size</c> (so400m at 384 px
/// with 14 px patches: 27 × 27, the conv dropping the last 6 pixels).
/// </remarks>
public sealed record VisionConfig
{
    /// <summary>CLIP's <c>vision_config.model_type</c> (assumed when LLaVA-1.5 or LLaVA-NeXT leave the field out).</summary>
    public const string ClipModelType = "clip_vision_model";

    /// <summary>SigLIP's <c>vision_config.model_type</c> (assumed when LLaVA-OneVision leaves the field out).</summary>
    public const string SiglipModelType = "siglip_vision_model";

    private const string Prefix = "vision_config.";

    private static readonly string[] SupportedActivations = ["quick_gelu", "gelu", "gelu_pytorch_tanh"];

    /// <summary>transformers' <c>SiglipVisionConfig()</c>.</summary>
    public static VisionConfig SiglipDefaults { get; } = new()
    {
        ModelType = SiglipModelType,
        PatchSize = 16,
        HiddenAct = "gelu_pytorch_tanh",
        LayerNormEps = 1e-6,
    };

    /// <summary>
    /// What a LLaVA-OneVision config.json without <c>vision_config</c> means: configuration_llava_onevision.py builds
    /// so400m-patch14-384 without its last layer from these arguments (the rest are SiglipVisionConfig defaults). Its 14
    /// heads do not divide 1152, so such a config is refused on load, as transformers' SigLIP attention refuses it.
    /// </summary>
    public static VisionConfig OnevisionDefault { get; } = SiglipDefaults with
    {
        HiddenSize = 1152,
        IntermediateSize = 4304,
        PatchSize = 14,
        ImageSize = 384,
        NumHiddenLayers = 26,
        NumAttentionHeads = 14,
        VisionUseHead = false,
    };

    /// <summary><see cref="ClipModelType"/> or <see cref="SiglipModelType"/>.</summary>
    public string ModelType { get; init; } = ClipModelType;

    /// <summary>Whether this is SigLIP: no class token, so tokens are ranked in token order (MODELS.md).</summary>
    public bool IsSiglip => ModelType == SiglipModelType;

    /// <summary>SigLIP's <c>vision_use_head</c> (the attention-pooling head): read and kept; LLaVA never runs it and its tensors are not loaded.</summary>
    public bool VisionUseHead { get; init; }

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

    /// <summary>Patches per side: <see cref="ImageSize"/> // <see cref="PatchSize"/> (24 for LLaVA-1.5, 27 for OneVision's SigLIP).</summary>
    public int GridSize => ImageSize / PatchSize;

    /// <summary>Patch tokens per image: <see cref="GridSize"/>² (576 for LLaVA-1.5, 729 for OneVision); CLIP adds one [CLS].</summary>
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

        if (ModelType is not (ClipModelType or SiglipModelType))
        {
            throw check.Fail("model_type", $"is '{ModelType}'; Mining runs a CLIP ('{ClipModelType}') or SigLIP ('{SiglipModelType}') vision tower");
        }

        // SigLIP's convolution drops the pixels past the last whole patch (so400m: 384 px, 14 px patches).
        if (!IsSiglip && ImageSize % PatchSize != 0)
        {
            throw check.Fail("image_size", $"({ImageSize}) is not divisible by {Prefix}patch_size ({PatchSize}): the patches must tile the image");
        }

        if (!SupportedActivations.Contains(HiddenAct))
        {
            throw check.Fail("hidden_act", $"is '{HiddenAct}'; Mining's vision towers support only {string.Join(", ", SupportedActivations.Select(a => $"'{a}'"))}");
        }
    }

    /// <summary>Reads <c>vision_config</c>; an absent section is <paramref name="absent"/>, an absent <c>model_type</c> is <paramref name="defaultModelType"/> (the LLaVA config's choice).</summary>
    internal static VisionConfig Read(ConfigSection? section, VisionConfig absent, string defaultModelType)
    {
        if (section is null)
        {
            return absent;
        }

        // configuration_llava*.py: vision_config["model_type"] = vision_config.get("model_type", <the family's tower>).
        var modelType = section.String("model_type", defaultModelType);
        if (modelType is not (ClipModelType or SiglipModelType))
        {
            throw section.Fail("model_type", $"is '{modelType}'; Mining's LLaVA runs a CLIP ('{ClipModelType}') or SigLIP ('{SiglipModelType}') vision tower only");
        }

        var defaults = modelType == SiglipModelType ? SiglipDefaults : new VisionConfig();
        return new VisionConfig
        {
            ModelType = modelType,
            VisionUseHead = modelType == SiglipModelType && section.Bool("vision_use_head", true),
            HiddenSize = section.PositiveInt("hidden_size", defaults.HiddenSize),
            ImageSize = section.PositiveInt("image_size", defaults.ImageSize),
            PatchSize = section.PositiveInt("patch_size", defaults.PatchSize),
            IntermediateSize = section.PositiveInt("intermediate_size", defaults.IntermediateSize),
            NumAttentionHeads = section.PositiveInt("num_attention_heads", defaults.NumAttentionHeads),
            NumHiddenLayers = section.PositiveInt("num_hidden_layers", defaults.NumHiddenLayers),
            NumChannels = section.PositiveInt("num_channels", defaults.NumChannels),
            HiddenAct = section.String("hidden_act", defaults.HiddenAct),
            LayerNormEps = section.PositiveDouble("layer_norm_eps", defaults.LayerNormEps),
            ProjectionDim = modelType == SiglipModelType ? defaults.ProjectionDim : section.PositiveInt("projection_dim", defaults.ProjectionDim),
        };
    }

    internal JsonObject ToJson(bool omitDefaultFields)
    {
        var defaults = IsSiglip ? SiglipDefaults : new VisionConfig();
        var json = new JsonObject { ["model_type"] = ModelType };

        var fields = new ConfigWriter(json, omitDefaultFields);
        if (IsSiglip)
        {
            fields.Put("vision_use_head", VisionUseHead, true);
        }

        fields.Put("hidden_size", HiddenSize, defaults.HiddenSize);
        fields.Put("image_size", ImageSize, defaults.ImageSize);
        fields.Put("intermediate_size", IntermediateSize, defaults.IntermediateSize);
        fields.Put("num_attention_heads", NumAttentionHeads, defaults.NumAttentionHeads);
        fields.Put("num_hidden_layers", NumHiddenLayers, defaults.NumHiddenLayers);
        fields.Put("num_channels", NumChannels, defaults.NumChannels);
        fields.Put("patch_size", PatchSize, defaults.PatchSize);
        if (!IsSiglip)
        {
            fields.Put("projection_dim", ProjectionDim, defaults.ProjectionDim);
        }

        fields.Put("hidden_act", HiddenAct, defaults.HiddenAct);
        fields.Put("layer_norm_eps", LayerNormEps, defaults.LayerNormEps);
        return json;
    }
}
