using System.Collections.Concurrent;
using System.Text.Json;
using Mining.Kernels.IO;

namespace Mining.Client.Tests.Commands;

/// <summary>
/// <c>mining model logits --json --visual-tokens-out</c> on the fixture checkpoint, run once per fixture image,
/// against expected.json and the fixture arrays at the README's tolerances (logits and visual tokens ≤ 1e-4).
/// </summary>
public sealed class ModelLogitsTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-4;

    private static readonly ConcurrentDictionary<string, Lazy<LogitsRun>> Runs = new();

    public static TheoryData<string> Images => new(ExpectedReference.ImageNames);

    [Theory]
    [MemberData(nameof(Images))]
    public void Json_stdout_is_exactly_one_json_document(string name)
    {
        var run = Run(name).Result;
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Single(run.StdoutLines);
        using var document = JsonDocument.Parse(run.Stdout); // throws on anything after the document
        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Json_carries_the_reference_prompt_ids(string name)
    {
        using var document = Json(name);
        Assert.Equal(ExpectedReference.Fixture.PrefixIds, Ints(document.RootElement.GetProperty("prefix_ids")));
        Assert.Equal(ExpectedReference.Fixture.SuffixIds, Ints(document.RootElement.GetProperty("suffix_ids")));
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Json_reports_the_six_by_six_grid(string name)
    {
        using var document = Json(name);
        Assert.Equal(6, ExpectedReference.Fixture.Grid);
        Assert.Equal(ExpectedReference.Fixture.Grid, document.RootElement.GetProperty("grid").GetInt32());
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Logits_match_the_reference_baseline_within_1e4(string name)
    {
        using var document = Json(name);
        var expected = ExpectedReference.Fixture.Image(name).BaselineLogits;
        var actual = document.RootElement.GetProperty("logits").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(expected.Length, actual.Length);
        var max = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        output.WriteLine($"{name}: logits max |diff| = {max:E3}");
        Assert.True(max <= Tolerance, $"{name}: logits differ by {max}");
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Visual_tokens_out_writes_the_reference_visual_tokens_as_float32_npy(string name)
    {
        var run = Run(name);
        Assert.True(run.Result.ExitCode == 0, run.Result.Describe());
        var written = NpyFile.Read(run.TokensFile);
        var expected = NpyFile.Read(TestData.FixtureArray($"{name}.visual_tokens.npy"));
        Assert.Equal([36, 64], written.Shape);
        Assert.Equal(NpyDType.Float32, written.DType);
        var max = expected.ToFloat32().Zip(written.ToFloat32(), (e, a) => Math.Abs(e - a)).Max();
        output.WriteLine($"{name}: visual tokens max |diff| = {max:E3}");
        Assert.True(max <= Tolerance, $"{name}: visual tokens differ by {max}");
    }

    private static LogitsRun Run(string name) => Runs.GetOrAdd(name, n => new Lazy<LogitsRun>(() =>
    {
        var tokens = Path.Combine(TestData.NewTempFolder(), n + ".visual_tokens.npy");
        var result = CliProcess.Run(
            "model", "logits", "--model", TestData.FixtureModel, "--image", ExpectedReference.Fixture.Image(n).Png,
            "--json", "--visual-tokens-out", tokens);
        return new LogitsRun(result, tokens);
    })).Value;

    private static JsonDocument Json(string name)
    {
        var run = Run(name).Result;
        Assert.True(run.ExitCode == 0, run.Describe());
        return JsonDocument.Parse(run.Stdout);
    }

    private static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    private sealed record LogitsRun(CliResult Result, string TokensFile);
}
