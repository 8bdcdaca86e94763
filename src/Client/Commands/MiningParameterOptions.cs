using System.CommandLine;
using Mining.Kernels.Experiments;
using Mining.Kernels.Model;

namespace Mining.Client.Commands;

/// <summary>One command-line option per mining parameter, named after it in kebab case (<c>--jsd-thres</c>, <c>--min-unique-images</c>).</summary>
internal sealed class MiningParameterOptions
{
    private static readonly MiningParameters Defaults = new();

    public Option<double> Top1Thres { get; } = Make("--top1-thres", "Top-1 probability below which a token alone says nothing.", Defaults.Top1Thres);

    public Option<double> JsdThres { get; } = Make("--jsd-thres", "Weighted JSD below which removing a token changes nothing.", Defaults.JsdThres);

    public Option<double> KRegion { get; } = Make("--k-region", "Weight of the regional (3×3) leave-one-out JSD.", Defaults.KRegion);

    public Option<double> KGlobal { get; } = Make("--k-global", "Weight of the global leave-one-out JSD.", Defaults.KGlobal);

    public Option<int> HeadTopK { get; } = Make("--head-topk", "Logits the top-1 probability is taken over.", Defaults.HeadTopK);

    public Option<int> JsdTopK { get; } = Make("--jsd-topk", "Logits (of the unablated variant) the JSD is taken over.", Defaults.JsdTopK);

    public Option<int> ImageClusters { get; } = Make("--image-clusters", "DPC-kNN clusters per image for the small-cluster filter.", Defaults.ImageClusters);

    public Option<int> SmallClusterMax { get; } = Make("--small-cluster-max", "Largest per-image cluster whose redundant tokens are kept.", Defaults.SmallClusterMax);

    public Option<int> PrototypeClusters { get; } = Make("--prototype-clusters", "DPC-kNN clusters over the pooled kept tokens.", Defaults.PrototypeClusters);

    public Option<int> MinUniqueImages { get; } = Make("--min-unique-images", "A pooled cluster must span more than this many distinct images.", Defaults.MinUniqueImages);

    public Option<int> DpcKnnK { get; } = Make("--dpc-knn-k", "Neighbours in DPC-kNN's density.", Defaults.DpcKnnK);

    public Option<int> PadTokenId { get; } = Make("--pad-token-id", "Token whose input embedding fills ablated positions (not config.json's pad_token_id).", Defaults.PadTokenId);

    public Option<int> Dup { get; } = Make("--dup", "Times the token is repeated in the single-input experiment.", Defaults.Dup);

    public Option<double> DedupCosine { get; } = Make("--dedup-cosine", "Prototypes with cosine at or above this are merged.", Defaults.DedupCosine);

    public Option<string> SkipLeadingTokens { get; } = Make(
        "--skip-leading-tokens",
        "Comma-separated tokenizer pieces a variant's first answer token is skipped over (the logits of the next position are measured), or 'none'. Default: the checkpoint family's (LLaVA-1.5: ▁A; byte-level-BPE families such as LLaVA-NeXT: none).",
        FormatTokens(Defaults.SkipLeadingTokens));

    public void AddTo(Command command)
    {
        foreach (var option in All())
        {
            command.Options.Add(option);
        }
    }

    /// <summary>
    /// The parameters given on the command line (defaults elsewhere), validated. Without <c>--skip-leading-tokens</c>
    /// the skip list is the family's of the checkpoint at <paramref name="modelDirectory"/> when its config can be read.
    /// </summary>
    public MiningParameters Read(ParseResult result, string? modelDirectory = null)
    {
        var parameters = new MiningParameters
        {
            Top1Thres = result.GetValue(Top1Thres),
            JsdThres = result.GetValue(JsdThres),
            KRegion = result.GetValue(KRegion),
            KGlobal = result.GetValue(KGlobal),
            HeadTopK = result.GetValue(HeadTopK),
            JsdTopK = result.GetValue(JsdTopK),
            ImageClusters = result.GetValue(ImageClusters),
            SmallClusterMax = result.GetValue(SmallClusterMax),
            PrototypeClusters = result.GetValue(PrototypeClusters),
            MinUniqueImages = result.GetValue(MinUniqueImages),
            DpcKnnK = result.GetValue(DpcKnnK),
            PadTokenId = result.GetValue(PadTokenId),
            Dup = result.GetValue(Dup),
            DedupCosine = result.GetValue(DedupCosine),
            SkipLeadingTokens = result.GetResult(SkipLeadingTokens) is { Implicit: false } || modelDirectory is null || ModelFamily.TryOf(modelDirectory) is not { } family
                ? ParseTokens(result.GetValue(SkipLeadingTokens))
                : family.DefaultSkipLeadingTokens,
        };
        parameters.Validate();
        return parameters;
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
}
