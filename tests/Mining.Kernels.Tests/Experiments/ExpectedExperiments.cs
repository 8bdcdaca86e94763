using System.Text.Json;

namespace Mining.Kernels.Tests.Experiments;

/// <summary>The experiment part of the fixture's expected.json: parameters, grid, and per image the logits and token results.</summary>
internal sealed record ExpectedExperiments(string ParametersJson, int Grid, IReadOnlyList<ExpectedImage> Images)
{
    private static readonly Lazy<ExpectedExperiments> Loaded = new(() => Load(TestData.Fixture));
    private static readonly Lazy<ExpectedExperiments> LoadedNext = new(() => Load(TestData.NextFixture));
    private static readonly Lazy<ExpectedExperiments> LoadedOnevision = new(() => Load(TestData.OnevisionFixture));

    public static ExpectedExperiments Fixture => Loaded.Value;

    /// <summary>The LLaVA-NeXT fixture's experiments (llava-next-tiny-ref).</summary>
    public static ExpectedExperiments Next => LoadedNext.Value;

    /// <summary>The LLaVA-OneVision fixture's experiments (llava-ov-tiny-ref); its tokens have no cls_similarity (NaN here).</summary>
    public static ExpectedExperiments Onevision => LoadedOnevision.Value;

    public ExpectedImage Image(string name) => Images.Single(i => i.Name == name);

    private static ExpectedExperiments Load(string fixture)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(fixture, "expected.json")));
        var root = document.RootElement;
        var images = root.GetProperty("images").EnumerateArray().Select(image => new ExpectedImage(
            image.GetProperty("name").GetString()!,
            Floats(image.GetProperty("baseline_logits")),
            image.GetProperty("tokens").EnumerateArray().Select(t => new ExpectedToken(
                t.GetProperty("token_index").GetInt32(),
                t.GetProperty("rank").GetInt32(),
                t.TryGetProperty("cls_similarity", out var similarity) ? similarity.GetSingle() : float.NaN,
                t.GetProperty("window").EnumerateArray().Select(w => w.GetInt32()).ToArray(),
                t.GetProperty("top1_prob").GetDouble(),
                t.GetProperty("jsd_region").GetDouble(),
                t.GetProperty("jsd_global").GetDouble(),
                t.GetProperty("redundant").GetBoolean())).ToArray(),
            image.GetProperty("variant_logits").EnumerateObject().ToDictionary(
                v => int.Parse(v.Name, System.Globalization.CultureInfo.InvariantCulture),
                v => new ExpectedVariantLogits(
                    Floats(v.Value.GetProperty("single")),
                    Floats(v.Value.GetProperty("window")),
                    Floats(v.Value.GetProperty("window_center_padded")),
                    Floats(v.Value.GetProperty("global_window_padded")))))).ToArray();
        return new ExpectedExperiments(root.GetProperty("parameters").GetRawText(), root.GetProperty("grid").GetInt32(), images);
    }

    private static float[] Floats(JsonElement array) => array.EnumerateArray().Select(e => e.GetSingle()).ToArray();
}
