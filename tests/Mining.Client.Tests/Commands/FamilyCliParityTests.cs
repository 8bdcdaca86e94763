using System.Collections.Concurrent;
using System.Text.Json;

namespace Mining.Client.Tests.Commands;

/// <summary>
/// The CLI on a family's reference fixture, in a child process, against its expected.json at the README's tolerances:
/// <c>model logits --json</c> (prompt ids equal, logits ≤ 1e-4) and <c>experiment --all-tokens --json</c> with the
/// fixture's parameters (rank, window, redundant equal; cls similarity ≤ 1e-5 where the tower has a [CLS], null where it
/// has none; top1 and JSDs ≤ max(1e-5, 1e-3 relative)).
/// </summary>
public abstract class FamilyCliParityTests(ITestOutputHelper output)
{
    private readonly ConcurrentDictionary<string, Lazy<CliResult>> runs = new();

    public static TheoryData<string> Images => new(ExpectedReference.ImageNames);

    private protected abstract ExpectedReference Expected { get; }

    protected abstract string Model { get; }

    protected abstract int Grid { get; }

    /// <summary>The fixture's parameters as experiment options.</summary>
    protected abstract string[] ParameterOptions { get; }

    /// <summary>What the family's prompt must start with (e.g. LLaMA-3's two BOS ids).</summary>
    protected abstract int[] PrefixStart { get; }

    [Theory]
    [MemberData(nameof(Images))]
    public void Model_logits_json_carries_the_reference_prompt_ids_grid_and_logits(string name)
    {
        var run = Cached($"logits:{name}", () => CliProcess.Run(
            "model", "logits", "--model", Model, "--image", Expected.Image(name).Png, "--json"));
        Assert.True(run.ExitCode == 0, run.Describe());
        using var document = JsonDocument.Parse(run.Stdout);
        var root = document.RootElement;
        Assert.Equal(Expected.PrefixIds, Ints(root.GetProperty("prefix_ids")));
        Assert.Equal(Expected.SuffixIds, Ints(root.GetProperty("suffix_ids")));
        Assert.Equal(PrefixStart, Ints(root.GetProperty("prefix_ids"))[..PrefixStart.Length]);
        Assert.Equal(Grid, root.GetProperty("grid").GetInt32());
        var expected = Expected.Image(name).BaselineLogits;
        var actual = root.GetProperty("logits").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(expected.Length, actual.Length);
        var max = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        output.WriteLine($"{name}: logits max |diff| = {max:E3}");
        Assert.True(max <= 1e-4, $"{name}: logits differ by {max}");
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Experiment_all_tokens_json_matches_every_token_of_the_reference(string name)
    {
        var run = Cached($"experiment:{name}", () => CliProcess.Run(
            ["experiment", "--model", Model, "--image", Expected.Image(name).Png, "--all-tokens", .. ParameterOptions, "--k-region", "1", "--k-global", "16", "--json"]));
        Assert.True(run.ExitCode == 0, run.Describe());
        using var document = JsonDocument.Parse(run.Stdout);
        Assert.Equal(Grid, document.RootElement.GetProperty("grid").GetInt32());
        var tokens = document.RootElement.GetProperty("tokens").EnumerateArray().Select(TokenRow.Parse).ToArray();
        Assert.Equal(Enumerable.Range(0, Grid * Grid), tokens.Select(t => t.TokenIndex).Order());
        double cls = 0, top1 = 0, region = 0, global = 0;
        foreach (var token in tokens)
        {
            var want = Expected.Image(name).Token(token.TokenIndex);
            Assert.Equal(want.Rank, token.Rank);
            Assert.Equal(want.Window, token.Window);
            Assert.Equal(want.Redundant, token.Redundant);
            Assert.Equal(double.IsNaN(want.ClsSimilarity), double.IsNaN(token.ClsSimilarity));
            cls = double.IsNaN(want.ClsSimilarity) ? cls : Math.Max(cls, Math.Abs(want.ClsSimilarity - token.ClsSimilarity));
            top1 = Math.Max(top1, Excess(want.Top1Prob, token.Top1Prob));
            region = Math.Max(region, Excess(want.JsdRegion, token.JsdRegion));
            global = Math.Max(global, Excess(want.JsdGlobal, token.JsdGlobal));
        }

        output.WriteLine($"{name}: cls {cls:E2}; worst |diff| / tolerance: top1 {top1:F3}, jsd_region {region:F3}, jsd_global {global:F3}");
        Assert.True(cls <= 1e-5, $"cls similarity differs by {cls}");
        Assert.True(top1 <= 1, $"top1_prob differs by {top1} of its tolerance");
        Assert.True(region <= 1, $"jsd_region differs by {region} of its tolerance");
        Assert.True(global <= 1, $"jsd_global differs by {global} of its tolerance");
    }

    /// <summary>|expected − actual| as a fraction of the README's tolerance max(1e-5, 1e-3·|expected|).</summary>
    private static double Excess(double expected, double actual) =>
        Math.Abs(expected - actual) / Math.Max(1e-5, 1e-3 * Math.Abs(expected));

    private static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    private CliResult Cached(string key, Func<CliResult> run) => runs.GetOrAdd(key, _ => new Lazy<CliResult>(run)).Value;
}
