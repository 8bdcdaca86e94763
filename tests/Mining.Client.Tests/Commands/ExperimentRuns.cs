using System.Collections.Concurrent;
using System.Text.Json;

namespace Mining.Client.Tests.Commands;

/// <summary>
/// The <c>mining experiment</c> runs the experiment tests look at, each started once per test run (a run loads
/// TorchSharp and the model), always with the fixture's mining parameters from expected.json.
/// </summary>
internal static class ExperimentRuns
{
    private static readonly ConcurrentDictionary<string, Lazy<CliResult>> Runs = new();

    /// <summary><c>--all-tokens --json</c> on a fixture image.</summary>
    public static CliResult AllTokensJson(string name) => Cached($"all:{name}", () => Experiment(name, "--all-tokens", "--json"));

    /// <summary><c>--json</c> without <c>--all-tokens</c>: the default candidate tokens.</summary>
    public static CliResult CandidatesJson(string name) => Cached($"candidates:{name}", () => Experiment(name, "--json"));

    /// <summary>The readable table (no <c>--json</c>) of chelsea's default candidates, with <c>--heatmap</c> so a log line goes to stderr too.</summary>
    public static CliResult ChelseaTableWithHeatmap() =>
        Cached("table:chelsea", () => Experiment("chelsea", "--heatmap", ChelseaHeatmap));

    /// <summary>Where <see cref="ChelseaTableWithHeatmap"/> writes its PNG.</summary>
    public static string ChelseaHeatmap { get; } = Path.Combine(TestData.NewTempFolder(), "chelsea-heatmap.png");

    /// <summary>
    /// <c>--all-tokens --json</c> on an image of llava-tiny-skip-ref with that fixture's parameters, the skip list left
    /// at its default (or, with <paramref name="skipOff"/>, <c>--skip-leading-tokens none</c>).
    /// </summary>
    public static CliResult SkipFixtureAllTokensJson(string name, bool skipOff = false) => Cached($"skip:{name}:{skipOff}", () => CliProcess.Run(
    [
        "experiment", "--model", Path.Combine(TestData.SkipFixture, "model"), "--image", ExpectedReference.SkipFixture.Image(name).Png,
        .. ExpectedReference.SkipFixture.ParameterOptions().SkipLast(2), "--all-tokens", "--json",
        .. skipOff ? new[] { "--skip-leading-tokens", "none" } : [],
    ]));

    /// <summary>The tokens of a successful <c>--json</c> run; fails the test with both streams if it did not succeed.</summary>
    public static TokenRow[] Tokens(CliResult run)
    {
        Assert.True(run.ExitCode == 0, run.Describe());
        using var document = JsonDocument.Parse(run.Stdout);
        Assert.Equal(ExpectedReference.Fixture.Grid, document.RootElement.GetProperty("grid").GetInt32());
        return document.RootElement.GetProperty("tokens").EnumerateArray().Select(TokenRow.Parse).ToArray();
    }

    private static CliResult Experiment(string name, params string[] extra) => CliProcess.Run(
    [
        "experiment", "--model", TestData.FixtureModel, "--image", ExpectedReference.Fixture.Image(name).Png,
        .. ExpectedReference.Fixture.ParameterOptions(), .. extra,
    ]);

    private static CliResult Cached(string key, Func<CliResult> run) => Runs.GetOrAdd(key, _ => new Lazy<CliResult>(run)).Value;
}
