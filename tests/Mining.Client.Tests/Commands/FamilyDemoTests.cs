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

    /// <summary>The families other than LLaVA-1.5, whose demos run here.</summary>
    public static TheoryData<string> Families => new("next", "onevision");

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
    public void The_onevision_demo_pads_with_its_tokenizers_endoftext_and_records_the_family()
    {
        var (run, work) = Demo("onevision");
        Assert.True(run.ExitCode == 0, run.Describe());
        using var tokenizer = JsonDocument.Parse(File.ReadAllText(Path.Combine(work, "model", "tokenizer.json")));
        var endOfText = tokenizer.RootElement.GetProperty("added_tokens").EnumerateArray()
            .Single(t => t.GetProperty("content").GetString() == "<|endoftext|>").GetProperty("id").GetInt32();
        var parameters = Assert.Single(run.StdoutLines, l => l.StartsWith("parameters ", StringComparison.Ordinal));
        Assert.Contains($"\"pad_token_id\":{endOfText}", parameters, StringComparison.Ordinal);
        Assert.Contains("\"skip_leading_tokens\":[]", parameters, StringComparison.Ordinal);
        var info = CliProcess.Run("codebook", "info", Path.Combine(work, "codebook.parquet"), "--json");
        using var json = JsonDocument.Parse(info.Stdout);
        Assert.Equal("onevision", json.RootElement.GetProperty("family").GetString());
    }

    private static (CliResult Run, string WorkDirectory) Demo(string family) => Demos.GetOrAdd(family, _ => new(() =>
    {
        var work = Path.Combine(TestData.NewTempFolder(), "demo");
        return (CliProcess.Run("demo", "--family", family, "--work-dir", work), work);
    })).Value;
}
