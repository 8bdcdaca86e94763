using System.CommandLine;
using System.Text.Json.Nodes;
using Mining.Kernels.Experiments;
using Mining.Kernels.Model;
using Mining.Kernels.Text;

namespace Mining.Client.Commands;

/// <summary>
/// One command-line option per mining parameter, named after it in kebab case (<c>--jsd-thres</c>, <c>--min-unique-images</c>),
/// and <c>--preset</c>: the values start from the named preset (else the checkpoint family's) and an option given
/// explicitly overrides the preset's value.
/// </summary>
internal sealed class MiningParameterOptions
{
    private const string PresetDefault = "Default: the preset's.";

    private static readonly MiningParameters Defaults = new();

    public Option<string?> Preset { get; } = new("--preset")
    {
        Description = $"The published configuration the parameters start from: {MiningPreset.Names}. Default: the checkpoint family's " +
            $"(LLaVA-1.5: {MiningPreset.DefaultFor(ModelFamily.Llava).Name}, LLaVA-OneVision: {MiningPreset.DefaultFor(ModelFamily.Onevision).Name}, LLaVA-NeXT: {MiningPreset.DefaultFor(ModelFamily.Next).Name}). " +
            "A parameter option given explicitly overrides the preset's value.",
    };

    public Option<double> Top1Thres { get; } = Make<double>("--top1-thres", $"Top-1 probability below which a token alone says nothing. {PresetDefault}");

    public Option<double> JsdThres { get; } = Make<double>("--jsd-thres", $"Weighted JSD below which removing a token changes nothing. {PresetDefault}");

    public Option<double> KRegion { get; } = Make<double>("--k-region", $"Weight of the regional (3×3) leave-one-out JSD. {PresetDefault}");

    public Option<double> KGlobal { get; } = Make<double>("--k-global", $"Weight of the global leave-one-out JSD. {PresetDefault}");

    public Option<int> HeadTopK { get; } = Make("--head-topk", "Logits the top-1 probability is taken over.", Defaults.HeadTopK);

    public Option<int> JsdTopK { get; } = Make("--jsd-topk", "Logits (of the unablated variant) the JSD is taken over.", Defaults.JsdTopK);

    public Option<int> ImageClusters { get; } = Make<int>("--image-clusters", $"DPC-kNN clusters per image for the small-cluster filter. {PresetDefault}");

    public Option<int> SmallClusterMax { get; } = Make<int>("--small-cluster-max", $"Largest per-image cluster whose redundant tokens are kept. {PresetDefault}");

    public Option<int> PrototypeClusters { get; } = Make<int>("--prototype-clusters", $"DPC-kNN clusters over the pooled kept tokens. {PresetDefault}");

    public Option<int> MinUniqueImages { get; } = Make<int>("--min-unique-images", $"A pooled cluster must span more than this many distinct images. {PresetDefault}");

    public Option<int> DpcKnnK { get; } = Make("--dpc-knn-k", "Neighbours in DPC-kNN's density.", Defaults.DpcKnnK);

    public Option<int> PadTokenId { get; } = Make<int>("--pad-token-id", "Token whose input embedding fills ablated positions (not config.json's pad_token_id). Default: the preset's (OneVision's <|endoftext|> becomes its id in the checkpoint's tokenizer).");

    public Option<int> Dup { get; } = Make("--dup", "Times the token is repeated in the single-input experiment.", Defaults.Dup);

    public Option<double> DedupCosine { get; } = Make("--dedup-cosine", "Prototypes with cosine at or above this are merged.", Defaults.DedupCosine);

    public Option<string> SkipLeadingTokens { get; } = Make<string>(
        "--skip-leading-tokens",
        "Comma-separated tokenizer pieces a variant's first answer token is skipped over (the logits of the next position are measured), or 'none'. Default: the preset's (LLaVA-1.5: ▁A; the byte-level-BPE families: none).");

    public void AddTo(Command command)
    {
        command.Options.Add(Preset);
        foreach (var option in All())
        {
            command.Options.Add(option);
        }
    }

    /// <summary>
    /// The parameters of a run, validated: the named preset's values (else those of the family of the checkpoint at
    /// <paramref name="modelDirectory"/>, else <see cref="MiningPreset.Default"/> when its config cannot be read) under
    /// the options given explicitly. A preset's pad token is resolved through the checkpoint's tokenizer.
    /// </summary>
    public MiningParameters Read(ParseResult result, string? modelDirectory = null)
    {
        var named = NamedPreset(result);
        var overrides = OverridesJson(result);
        var family = modelDirectory is null ? null : ModelFamily.TryOf(modelDirectory);
        var preset = named ?? (family is null ? MiningPreset.Default : MiningPreset.DefaultFor(family));
        return preset.Resolve(overrides, family is null ? null : () => ITextTokenizer.Load(modelDirectory!, family.Tokenizer));
    }

    /// <summary>The preset <c>--preset</c> names, or null when it is not given; an unknown name raises <see cref="MiningParameterException"/> listing the known ones.</summary>
    public MiningPreset? NamedPreset(ParseResult result) => result.GetValue(Preset) is { } name ? MiningPreset.Named(name) : null;

    /// <summary>
    /// The parameter options given explicitly, as a JSON object of the parameters' snake_case names (<c>{}</c>: none),
    /// each checked; what a job spec carries, the preset supplying the rest where the model is read.
    /// </summary>
    public string OverridesJson(ParseResult result)
    {
        T Given<T>(Option<T> option, T otherwise) => IsGiven(result, option) ? result.GetValue(option)! : otherwise;
        var typed = new MiningParameters
        {
            Top1Thres = Given(Top1Thres, Defaults.Top1Thres),
            JsdThres = Given(JsdThres, Defaults.JsdThres),
            KRegion = Given(KRegion, Defaults.KRegion),
            KGlobal = Given(KGlobal, Defaults.KGlobal),
            HeadTopK = Given(HeadTopK, Defaults.HeadTopK),
            JsdTopK = Given(JsdTopK, Defaults.JsdTopK),
            ImageClusters = Given(ImageClusters, Defaults.ImageClusters),
            SmallClusterMax = Given(SmallClusterMax, Defaults.SmallClusterMax),
            PrototypeClusters = Given(PrototypeClusters, Defaults.PrototypeClusters),
            MinUniqueImages = Given(MinUniqueImages, Defaults.MinUniqueImages),
            DpcKnnK = Given(DpcKnnK, Defaults.DpcKnnK),
            PadTokenId = Given(PadTokenId, Defaults.PadTokenId),
            Dup = Given(Dup, Defaults.Dup),
            DedupCosine = Given(DedupCosine, Defaults.DedupCosine),
            SkipLeadingTokens = IsGiven(result, SkipLeadingTokens) ? ParseTokens(result.GetValue(SkipLeadingTokens)) : Defaults.SkipLeadingTokens,
        };

        // Checked typed first, so a value JSON cannot hold (NaN) is reported as out of range, naming its option.
        typed.Validate();
        var values = JsonNode.Parse(typed.ToJson())!.AsObject();
        var given = new JsonObject();
        foreach (var option in All().Where(o => IsGiven(result, o)))
        {
            var name = option.Name.TrimStart('-').Replace('-', '_');
            given[name] = values[name]!.DeepClone();
        }

        return MiningParameters.NormalizeOverrides(given.ToJsonString());
    }

    /// <summary>
    /// For a verb that works on one image (<c>experiment</c>): hides the options of the per-image filter, the pooled
    /// clustering and the deduplication from its help; they are still accepted and change nothing there.
    /// </summary>
    public void HideCodebookStages()
    {
        foreach (var option in new Option[] { ImageClusters, SmallClusterMax, PrototypeClusters, MinUniqueImages, DpcKnnK, DedupCosine })
        {
            option.Hidden = true;
        }
    }

    private IEnumerable<Option> All() =>
    [
        Top1Thres, JsdThres, KRegion, KGlobal, HeadTopK, JsdTopK, ImageClusters, SmallClusterMax,
        PrototypeClusters, MinUniqueImages, DpcKnnK, PadTokenId, Dup, DedupCosine, SkipLeadingTokens,
    ];

    /// <summary>The option's form of a token list: comma-separated, <c>none</c> for the empty list.</summary>
    public static string FormatTokens(IReadOnlyList<string> tokens) => tokens.Count == 0 ? "none" : string.Join(',', tokens);

    /// <summary>Reads <see cref="FormatTokens"/>'s form; pieces never hold ASCII whitespace, so entries are trimmed.</summary>
    public static IReadOnlyList<string> ParseTokens(string? value)
    {
        var text = value?.Trim() ?? string.Empty;
        if (text.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }

        var tokens = text.Split(',', StringSplitOptions.TrimEntries);
        if (tokens.Any(t => t.Length == 0))
        {
            throw new MiningParameterException("--skip-leading-tokens", $"--skip-leading-tokens: '{value}' lists an empty token; give comma-separated tokens or 'none'");
        }

        return tokens;
    }

    private static Option<T> Make<T>(string name, string description, T defaultValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
    };

    // A parameter the preset sets has no default of its own: help shows none, and only a value given counts.
    private static Option<T> Make<T>(string name, string description) => new(name) { Description = description };

    private static bool IsGiven(ParseResult result, Option option) => result.GetResult(option) is { Implicit: false };
}
