using Mining.Kernels.Checkpoints;

namespace Mining.Benchmarks;

/// <summary>
/// The layer widths of a released LLaVA-family model — vision tower, projector and language model — for building random
/// models of the real widths with few layers (<c>bench forward --shape</c>) and counting the full model's parameters
/// without allocating it.
/// </summary>
/// <remarks>
/// Vocabularies are the base language models' (Vicuna/LLaMA-2 32000, LLaMA-3 128256, Qwen2 152064); llava-hf's conversions
/// add a few rows for the image and pad tokens, under 0.01 % of the parameters.
/// </remarks>
public sealed record ModelShape
{
    /// <summary>LLaVA-1.5-7B: CLIP ViT-L/14 at 336 px (24 layers) and Vicuna-7B (LLaMA-7B widths, 32 layers).</summary>
    public static ModelShape Llava15_7B { get; } = new()
    {
        Name = "llava-1.5-7b",
        ModelType = LlavaConfig.LlavaModelType,
        VisionHidden = 1024,
        VisionIntermediate = 4096,
        VisionHeads = 16,
        VisionLayers = 24,
        PatchSize = 14,
        ImageSize = 336,
        TextHidden = 4096,
        TextIntermediate = 11008,
        TextHeads = 32,
        TextKvHeads = 32,
        TextLayers = 32,
        Vocab = 32000,
        RopeTheta = 1e4,
        RmsNormEps = 1e-5,
    };

    /// <summary>LLaVA-NeXT-LLaMA3-8B (llama3-llava-next-8b): the same CLIP and LLaMA-3-8B (grouped-query attention, 8 key/value heads).</summary>
    public static ModelShape NextLlama3_8B { get; } = Llava15_7B with
    {
        Name = "next-llama3-8b",
        ModelType = LlavaConfig.NextModelType,
        TextIntermediate = 14336,
        TextKvHeads = 8,
        Vocab = 128256,
        RopeTheta = 5e5,
    };

    /// <summary>
    /// LLaVA-OneVision-Qwen2-7B: SigLIP so400m-patch14-384 (27 × 27 = 729 tokens; 26 of its 27 layers stored) and Qwen2-7B
    /// (biases on q, k and v; untied head).
    /// </summary>
    public static ModelShape OnevisionQwen2_7B { get; } = new()
    {
        Name = "onevision-qwen2-7b",
        ModelType = LlavaConfig.OnevisionModelType,
        VisionHidden = 1152,
        VisionIntermediate = 4304,
        VisionHeads = 16,
        VisionLayers = 26,
        PatchSize = 14,
        ImageSize = 384,
        TextHidden = 3584,
        TextIntermediate = 18944,
        TextHeads = 28,
        TextKvHeads = 4,
        TextLayers = 28,
        Vocab = 152064,
        RopeTheta = 1e6,
        RmsNormEps = 1e-6,
        QkvBias = true,
    };

    /// <summary>Every shape, in the order the docs list the families.</summary>
    public static IReadOnlyList<ModelShape> All { get; } = [Llava15_7B, OnevisionQwen2_7B, NextLlama3_8B];

    /// <summary>The name <c>--shape</c> takes.</summary>
    public required string Name { get; init; }

    /// <summary>The checkpoint's top-level <c>model_type</c>.</summary>
    public required string ModelType { get; init; }

    public required int VisionHidden { get; init; }

    public required int VisionIntermediate { get; init; }

    public required int VisionHeads { get; init; }

    /// <summary>Vision layers the checkpoint stores.</summary>
    public required int VisionLayers { get; init; }

    public required int PatchSize { get; init; }

    public required int ImageSize { get; init; }

    public required int TextHidden { get; init; }

    public required int TextIntermediate { get; init; }

    public required int TextHeads { get; init; }

    public required int TextKvHeads { get; init; }

    public required int TextLayers { get; init; }

    public required int Vocab { get; init; }

    public required double RopeTheta { get; init; }

    public required double RmsNormEps { get; init; }

    /// <summary>Whether q, k and v carry biases (Qwen2) — o does not.</summary>
    public bool QkvBias { get; init; }

    /// <summary>Whether this build can describe the shape as a <see cref="LlavaConfig"/> (and so build, load and run it).</summary>
    public bool IsSupported => ModelType is LlavaConfig.LlavaModelType or LlavaConfig.NextModelType or LlavaConfig.OnevisionModelType;

    /// <summary>Visual tokens per image: (image / patch)².</summary>
    public int VisualTokens => (ImageSize / PatchSize) * (ImageSize / PatchSize);

    /// <summary>The shape named <paramref name="name"/>; an unknown name raises <see cref="ArgumentException"/> listing the known ones.</summary>
    public static ModelShape Find(string name) =>
        All.FirstOrDefault(shape => shape.Name == name)
        ?? throw new ArgumentException($"unknown model shape '{name}': use {string.Join(", ", All.Select(s => s.Name))}", nameof(name));

    /// <summary>
    /// The config of this shape with <paramref name="layers"/> layers in each tower (null: the real depths). Raises
    /// <see cref="NotSupportedException"/> for a family this build cannot describe yet.
    /// </summary>
    public LlavaConfig ToConfig(int? layers = null)
    {
        if (layers is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(layers), layers, "a model needs at least one layer in each tower");
        }

        if (!IsSupported)
        {
            throw new NotSupportedException($"model shape '{Name}' ({ModelType}) is not a family this build runs");
        }

        var onevision = ModelType == LlavaConfig.OnevisionModelType;
        return new LlavaConfig
        {
            ModelType = ModelType,
            ImageGridPinpoints = ModelType switch
            {
                LlavaConfig.NextModelType => LlavaConfig.NextDefaultGridPinpoints,
                LlavaConfig.OnevisionModelType => LlavaConfig.OnevisionDefaultGridPinpoints,
                _ => [],
            },
            TorchDtype = CheckpointFolder.TorchDtypeName(SafeTensorDType.BF16),
            ImageTokenIndex = onevision ? LlavaConfig.OnevisionDefaultImageTokenIndex : 32000,
            VisionFeatureLayer = onevision ? -1 : -2,
            VisionFeatureSelectStrategy = onevision ? LlavaConfig.FullSelectStrategy : LlavaConfig.SupportedSelectStrategy,
            Vision = (onevision ? VisionConfig.SiglipDefaults with { VisionUseHead = false } : VisionConfig.LlavaDefault) with
            {
                HiddenSize = VisionHidden,
                IntermediateSize = VisionIntermediate,
                NumAttentionHeads = VisionHeads,
                NumHiddenLayers = layers ?? VisionLayers,
                PatchSize = PatchSize,
                ImageSize = ImageSize,
            },
            Text = new TextConfig
            {
                ModelType = QkvBias ? TextConfig.Qwen2ModelType : TextConfig.LlamaModelType,
                HiddenSize = TextHidden,
                IntermediateSize = TextIntermediate,
                NumAttentionHeads = TextHeads,
                NumKeyValueHeads = TextKvHeads,
                NumHiddenLayers = layers ?? TextLayers,
                VocabSize = Vocab,
                RopeTheta = RopeTheta,
                RmsNormEps = RmsNormEps,
            },
        };
    }

    /// <summary>Parameters of the model with <paramref name="layers"/> layers per tower (null: the real depths), counted from the tensors the checkpoint stores (<see cref="LlavaTensorSchema"/>) — nothing is allocated.</summary>
    public long Parameters(int? layers = null) =>
        LlavaTensorSchema.Expected(ToConfig(layers)).Sum(tensor => tensor.Shape.Aggregate(1L, (a, b) => a * b));
}
