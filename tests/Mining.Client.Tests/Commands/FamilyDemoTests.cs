using System.Collections.Concurrent;
using System.Text.Json;

namespace Mining.Client.Tests.Commands;

/// <summary>
/// <c>mining demo --family F</c> for the families other than LLaVA-1.5 (<see cref="DemoTests"/>): the family's demo checkpoint
/// mined as a job on the embedded default, ending with a non-empty codebook that records the family's demo model id.
/// </summary>
public sealed class FamilyDemoTests
{
    private static readonly ConcurrentDictionary<string, Lazy<(CliResult Run, string WorkDirectory)>> Demos = new();

    /// <summary>The families whose demo completes (onevision joins once Mining loads LLaVA-OneVision).</summary>
    public static TheoryData<string> Families => new("next");

    [Theory]
    [MemberData(nameof(Families))]
    public void The_demo_of_a_family_exits_0_with_every_sample_image_ok(string family)
    {
        var (run, _) = Demo(family);
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Contains("images           11 ok, 0 failed (of 11)", run.StdoutLines);
        Assert.StartsWith($"model       {family}: ", Assert.Single(run.StdoutLines, l => l.StartsWith("model ", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void The_demo_of_a_family_writes_a_non_empty_codebook_recording_its_demo_model_id(string family)
    {
        var (run, work) = Demo(family);
        Assert.True(run.ExitCode == 0, run.Describe());
        var info = CliProcess.Run("codebook", "info", Path.Combine(work, "codebook.parquet"), "--json");
        Assert.True(info.ExitCode == 0, info.Describe());
        using var json = JsonDocument.Parse(info.Stdout);
        Assert.Equal($"mining-demo-tiny-{family}", json.RootElement.GetProperty("model").GetString());
        Assert.True(json.RootElement.GetProperty("rows").GetInt32() > 0, info.Stdout);
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(work, "model", "config.json")));
        Assert.Equal($"llava_{family}", config.RootElement.GetProperty("model_type").GetString());
    }

    [Fact]
    public void The_next_demo_measures_the_first_position_and_records_an_empty_skip_list()
    {
        var (run, _) = Demo("next");
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Contains("\"skip_leading_tokens\":[]", Assert.Single(run.StdoutLines, l => l.StartsWith("parameters ", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public void The_onevision_demo_is_refused_in_one_line_naming_the_option_before_writing_anything()
    {
        var work = Path.Combine(TestData.NewTempFolder(), "demo");

        var run = CliProcess.Run("demo", "--family", "onevision", "--work-dir", work);

        Assert.True(run.ExitCode == 2, run.Describe());
        Assert.StartsWith("mining: error: --family onevision: ", Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.False(Directory.Exists(work), "the refused demo wrote its work folder");
    }

    private static (CliResult Run, string WorkDirectory) Demo(string family) => Demos.GetOrAdd(family, _ => new(() =>
    {
        var work = Path.Combine(TestData.NewTempFolder(), "demo");
        return (CliProcess.Run("demo", "--family", family, "--work-dir", work), work);
    })).Value;
}
