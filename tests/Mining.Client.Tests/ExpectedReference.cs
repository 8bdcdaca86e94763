using System.Text.Json;

namespace Mining.Client.Tests;

/// <summary>The parts of the fixture's expected.json that the CLI prints: prompt ids, grid, parameters, and per image the baseline logits and token results.</summary>
internal sealed record ExpectedReference(
    int[] PrefixIds,
    int[] SuffixIds,
    int Grid,
    JsonElement Parameters,
    IReadOnlyList<ExpectedImage> Images)
{
    private static readonly Lazy<ExpectedReference> Loaded = new(() => Load(TestData.Fixture));
    private static readonly Lazy<ExpectedReference> LoadedSkip = new(() => Load(TestData.SkipFixture));
    private static readonly Lazy<ExpectedReference> LoadedNext = new(() => Load(TestData.NextFixture));
    private static readonly Lazy<ExpectedReference> LoadedOnevision = new(() => Load(TestData.OnevisionFixture));

    /// <summary>The fixture's three images by name (the PNGs are <c>images/&lt;name&gt;.png</c>).</summary>
    public static readonly string[] ImageNames = ["chelsea", "camera", "coffee84"];

    public static ExpectedReference Fixture => Loaded.Value;

    /// <summary>llava-tiny-skip-ref: the same images through a checkpoint where the skip rule fires for half the variants.</summary>
    public static ExpectedReference SkipFixture => LoadedSkip.Value;

    /// <summary>The LLaVA-NeXT fixture (llava-next-tiny-ref).</summary>
    public static ExpectedReference Next => LoadedNext.Value;

    /// <summary>The LLaVA-OneVision fixture (llava-ov-tiny-ref).</summary>
    public static ExpectedReference Onevision => LoadedOnevision.Value;

    public ExpectedImage Image(string name) => Images.Single(i => i.Name == name);

    /// <summary>The experiment options that reproduce the fixture's <c>parameters</c>, read from expected.json.</summary>
    public string[] ParameterOptions() =>
    [
        "--pad-token-id", Parameters.GetProperty("pad_token_id").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--top1-thres", Parameters.GetProperty("top1_thres").GetRawText(),
        "--jsd-thres", Parameters.GetProperty("jsd_thres").GetRawText(),
        "--k-region", Parameters.GetProperty("k_region").GetRawText(),
        "--k-global", Parameters.GetProperty("k_global").GetRawText(),
        "--head-topk", Parameters.GetProperty("head_topk").GetRawText(),
        "--jsd-topk", Parameters.GetProperty("jsd_topk").GetRawText(),
        .. SkipOptions(),
    ];

    /// <summary>The fixture's skip list as <c>--skip-leading-tokens</c>: none when expected.json names none (llava-tiny-ref was computed without the rule).</summary>
    public string[] SkipOptions() => Parameters.TryGetProperty("skip_leading_tokens", out var tokens) && tokens.GetArrayLength() > 0
        ? ["--skip-leading-tokens", string.Join(',', tokens.EnumerateArray().Select(t => t.GetString()))]
        : ["--skip-leading-tokens", "none"];

    private static ExpectedReference Load(string folder)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "expected.json")));
        var root = document.RootElement;
        var prompt = root.GetProperty("prompt");
        var images = root.GetProperty("images").EnumerateArray().Select(image => new ExpectedImage(
            image.GetProperty("name").GetString()!,
            image.GetProperty("baseline_logits").EnumerateArray().Select(e => e.GetDouble()).ToArray(),
            image.GetProperty("tokens").EnumerateArray().Select(TokenRow.Parse).ToArray())
        {
            Folder = folder,
            BaselineLeadSkipped = image.TryGetProperty("baseline_lead_skipped", out var skipped) && skipped.GetBoolean(),
        }).ToArray();
        return new ExpectedReference(
            Ints(prompt.GetProperty("prefix_ids")),
            Ints(prompt.GetProperty("suffix_ids")),
            root.GetProperty("grid").GetInt32(),
            root.GetProperty("parameters").Clone(),
            images);
    }

    private static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();
}
