namespace Mining.Kernels.Checkpoints;

/// <summary>The shape of a small random LLaVA-1.5 checkpoint for tests and demos, and how to store it (layout, dtype, shards, config style).</summary>
/// <remarks>The token defaults follow the llava-tiny-ref fixture: a 400-piece tokenizer, <c>&lt;image&gt;</c> = 400, <c>&lt;pad&gt;</c> = 401, vocabulary 448.</remarks>
public sealed record TinyCheckpointSpec
{
    /// <summary>Patches per image side; the image is <see cref="Grid"/> × <see cref="PatchSize"/> pixels square.</summary>
    public int Grid { get; init; } = 8;

    public int PatchSize { get; init; } = 14;

    public int VisionHidden { get; init; } = 32;

    public int VisionLayers { get; init; } = 2;

    public int VisionHeads { get; init; } = 4;

    public int VisionIntermediate { get; init; } = 64;

    public int TextHidden { get; init; } = 64;

    public int TextLayers { get; init; } = 2;

    public int TextHeads { get; init; } = 4;

    public int TextKvHeads { get; init; } = 2;

    public int TextIntermediate { get; init; } = 128;

    public int VocabSize { get; init; } = 448;

    public int ImageTokenIndex { get; init; } = 400;

    public int? PadTokenId { get; init; } = 401;

    /// <summary>Seeds the weights: the same spec and seed give byte-identical files.</summary>
    public int Seed { get; init; }

    public CheckpointLayout Layout { get; init; } = CheckpointLayout.Published;

    /// <summary>F32, F16 or BF16.</summary>
    public SafeTensorDType DType { get; init; } = SafeTensorDType.F32;

    /// <summary>1 writes <c>model.safetensors</c>; N &gt; 1 writes an index and N shards.</summary>
    public int Shards { get; init; } = 1;

    /// <summary>Leave fields equal to transformers' defaults out of config.json, as llava-hf's own files do.</summary>
    public bool OmitDefaultConfigFields { get; init; }

    /// <summary>Model id written into config.json as <c>_name_or_path</c> (see <see cref="CheckpointModelId"/>); null writes none.</summary>
    public string? ModelId { get; init; }

    /// <summary>The LLaVA config this spec describes (LLaVA-1.5 settings: rms_norm_eps 1e-5, quick_gelu CLIP, layer −2, "default" strategy).</summary>
    public LlavaConfig ToConfig() => new()
    {
        Text = new TextConfig
        {
            HiddenSize = TextHidden,
            IntermediateSize = TextIntermediate,
            NumHiddenLayers = TextLayers,
            NumAttentionHeads = TextHeads,
            NumKeyValueHeads = TextKvHeads,
            HeadDim = TextHeads > 0 ? TextHidden / TextHeads : 0,
            VocabSize = VocabSize,
            RmsNormEps = 1e-5,
        },
        Vision = new VisionConfig
        {
            HiddenSize = VisionHidden,
            ImageSize = Grid * PatchSize,
            PatchSize = PatchSize,
            IntermediateSize = VisionIntermediate,
            NumAttentionHeads = VisionHeads,
            NumHiddenLayers = VisionLayers,
        },
        ImageTokenIndex = ImageTokenIndex,
        PadTokenId = PadTokenId,
        TorchDtype = CheckpointFolder.TorchDtypeName(DType),
    };
}
