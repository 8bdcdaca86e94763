using Mining.Kernels.Model;
using Mining.Kernels.Text;

namespace Mining.Kernels.Experiments;

/// <summary>
/// One of the reference's published configurations (MODELS.md, "Presets"): the values a run starts from. An explicit
/// parameter overrides the preset's value; without a named preset a run takes its checkpoint family's (<see cref="DefaultFor"/>).
/// The parameters a preset leaves out (head_topk, jsd_topk, dpc_knn_k, dup, dedup_cosine) keep <see cref="MiningParameters"/>' defaults.
/// </summary>
/// <param name="Name">The name a run gives with <c>--preset</c> and the codebook records.</param>
/// <param name="Top1Thres">top1_thres.</param>
/// <param name="JsdThres">jsd_thres.</param>
/// <param name="KRegion">k_region.</param>
/// <param name="KGlobal">k_global.</param>
/// <param name="ImageClusters">image_clusters.</param>
/// <param name="SmallClusterMax">small_cluster_max.</param>
/// <param name="PrototypeClusters">prototype_clusters.</param>
/// <param name="MinUniqueImages">min_unique_images.</param>
/// <param name="Pad">The pad: an id, or a token the checkpoint's tokenizer resolves (pad_token_id).</param>
/// <param name="SkipLeadingTokens">skip_leading_tokens.</param>
public sealed record MiningPreset(
    string Name,
    double Top1Thres,
    double JsdThres,
    double KRegion,
    double KGlobal,
    int ImageClusters,
    int SmallClusterMax,
    int PrototypeClusters,
    int MinUniqueImages,
    PresetPad Pad,
    IReadOnlyList<string> SkipLeadingTokens)
{
    // Values: the reference's codebooks/*/configs.txt, and for 13B its clustering script (MODELS.md, "Presets").

    /// <summary>LLaVA-1.5-7B, the configuration of the reference's released codebook; the default for the llava family.</summary>
    public static MiningPreset Llava15_7B { get; } = new("llava-1.5-7b", 0.15, 2e-3, 1, 16, 8, 8, 64, 64, PresetPad.OfId(0), ["\u2581A"]);

    /// <summary>LLaVA-1.5-13B.</summary>
    public static MiningPreset Llava15_13B { get; } = new("llava-1.5-13b", 0.077, 1.8e-3, 1, 16, 8, 8, 64, 64, PresetPad.OfId(0), ["\u2581A"]);

    /// <summary>LLaVA-OneVision (Qwen2-7B); the default for the onevision family. Pads with <c>&lt;|endoftext|&gt;</c>.</summary>
    public static MiningPreset OnevisionQwen2_7B { get; } = new("llava-onevision-qwen2-7b", 0.08, 1.8e-3, 1, 16, 8, 3, 24, 16, PresetPad.OfToken("<|endoftext|>"), []);

    /// <summary>LLaVA-NeXT (LLaMA-3-8B); the default for the next family.</summary>
    public static MiningPreset NextLlama3_8B { get; } = new("llava-next-llama3-8b", 0.1, 2e-3, 1, 16, 8, 8, 64, 64, PresetPad.OfId(0), []);

    /// <summary>Every preset, in the order the docs list them.</summary>
    public static IReadOnlyList<MiningPreset> All { get; } = [Llava15_7B, Llava15_13B, OnevisionQwen2_7B, NextLlama3_8B];

    /// <summary>The preset of a run whose checkpoint's family is unknown (its config cannot be read here): the method's defaults.</summary>
    public static MiningPreset Default => Llava15_7B;

    // Keyed by the family's name, so a family record built elsewhere (a config loaded later) finds its preset too.
    private static readonly Dictionary<string, MiningPreset> FamilyDefaults = new(StringComparer.Ordinal)
    {
        [ModelFamily.Llava.Name] = Llava15_7B,
        [ModelFamily.Onevision.Name] = OnevisionQwen2_7B,
        [ModelFamily.Next.Name] = NextLlama3_8B,
    };

    /// <summary>The names of <see cref="All"/>, comma-separated (for help and messages).</summary>
    public static string Names => string.Join(", ", All.Select(p => p.Name));

    /// <summary>The preset a run on a checkpoint of <paramref name="family"/> takes when none is named.</summary>
    public static MiningPreset DefaultFor(ModelFamily family)
    {
        ArgumentNullException.ThrowIfNull(family);
        return FamilyDefaults.TryGetValue(family.Name, out var preset)
            ? preset
            : throw new MiningParameterException("--preset", $"--preset: model family '{family.Name}' has no default preset; name one ({Names})");
    }

    /// <summary>The preset named <paramref name="name"/>; an unknown name raises <see cref="MiningParameterException"/> listing the known ones.</summary>
    public static MiningPreset Named(string name) =>
        All.FirstOrDefault(p => p.Name == name) ?? throw new MiningParameterException("--preset", Unknown(name));

    /// <summary>"unknown preset 'x' (known: …)": the one line every entry point refuses an unknown name with.</summary>
    public static string Unknown(string? name) => $"--preset: unknown preset '{name}' (known: {Names})";

    /// <summary>
    /// The parameters of a run: this preset's values with every name <paramref name="overridesJson"/> gives replaced by
    /// its value, validated, and <see cref="MiningParameters.Preset"/> set to <see cref="Name"/>. A pad given as a token is
    /// resolved through <paramref name="tokenizer"/>, asked for only then, unless the overrides give pad_token_id.
    /// </summary>
    /// <param name="overridesJson">The explicit values: a JSON object of <see cref="MiningParameters.ToJson"/>'s names (<c>{}</c>: none).</param>
    /// <param name="tokenizer">The checkpoint's tokenizer; null when it cannot be read.</param>
    public MiningParameters Resolve(string overridesJson, Func<ITextTokenizer>? tokenizer)
    {
        var givesPad = System.Text.Json.Nodes.JsonNode.Parse(MiningParameters.NormalizeOverrides(overridesJson))!.AsObject().ContainsKey("pad_token_id");
        return MiningParameters.FromJson(overridesJson, Values(givesPad ? 0 : Pad.Resolve(tokenizer, Name)));
    }

    /// <summary>The preset's values with the pad already resolved to <paramref name="padTokenId"/>.</summary>
    public MiningParameters Values(int padTokenId) => new()
    {
        Preset = Name,
        Top1Thres = Top1Thres,
        JsdThres = JsdThres,
        KRegion = KRegion,
        KGlobal = KGlobal,
        ImageClusters = ImageClusters,
        SmallClusterMax = SmallClusterMax,
        PrototypeClusters = PrototypeClusters,
        MinUniqueImages = MinUniqueImages,
        PadTokenId = padTokenId,
        SkipLeadingTokens = SkipLeadingTokens,
    };
}
