using System.Text.Json;

namespace Mining.Client.Tests.Commands;

/// <summary>
/// <c>--preset</c>: the parameters start from the named preset, else the checkpoint family's; an option given explicitly
/// overrides the preset's value; the codebook records the preset and <c>codebook info</c> shows it.
/// </summary>
public sealed class PresetTests
{
    /// <summary>The last line of <c>experiment</c>'s table: the count of redundant tokens and the values it applied.</summary>
    private static string ExperimentVerdict(params string[] options)
    {
        var run = CliProcess.Run(["experiment", "--image", TestData.FixtureImage("chelsea.png"), .. options]);
        Assert.True(run.ExitCode == 0, run.Describe());
        return run.StdoutLines.Last(l => l.Length > 0);
    }

    [Fact]
    public void Experiment_on_a_llava_checkpoint_takes_llava_1_5_7b_by_default()
    {
        var verdict = ExperimentVerdict("--model", TestData.FixtureModel);

        Assert.EndsWith("(preset llava-1.5-7b; top1_thres 0.15, jsd_thres 0.002, k_region 1, k_global 16)", verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void Experiment_on_a_next_checkpoint_takes_llava_next_llama3_8b_by_default()
    {
        var verdict = ExperimentVerdict("--model", TestData.NextFixtureModel);

        Assert.EndsWith("(preset llava-next-llama3-8b; top1_thres 0.1, jsd_thres 0.002, k_region 1, k_global 16)", verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void Experiment_with_a_named_preset_applies_its_values()
    {
        var verdict = ExperimentVerdict("--model", TestData.FixtureModel, "--preset", "llava-1.5-13b");

        Assert.EndsWith("(preset llava-1.5-13b; top1_thres 0.077, jsd_thres 0.0018, k_region 1, k_global 16)", verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void An_option_given_explicitly_overrides_the_presets_value()
    {
        var verdict = ExperimentVerdict("--model", TestData.FixtureModel, "--preset", "llava-1.5-13b", "--top1-thres", "0.3", "--k-global", "8");

        Assert.EndsWith("(preset llava-1.5-13b; top1_thres 0.3, jsd_thres 0.0018, k_region 1, k_global 8)", verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_preset_is_refused_before_any_work_listing_the_known_ones()
    {
        var folder = TestData.NewTempFolder();
        var output = Path.Combine(folder, "codebook.parquet");

        var run = CliProcess.Run("mine", "--images", Path.Combine(TestData.Fixture, "images"), "--model", TestData.FixtureModel, "--out", output, "--preset", "llava-2");

        CliAssert.UserError(run, "--preset: unknown preset 'llava-2' (known: llava-1.5-7b, llava-1.5-13b, llava-onevision-qwen2-7b, llava-next-llama3-8b)");
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Mine_records_a_named_preset_under_the_options_given()
    {
        // OneVision's preset on the LLaVA-1.5 fixture: its pad token is not in this vocabulary, so the pad is given;
        // small_cluster_max 3 and the empty skip list are the preset's, the thresholds and cluster counts the options'.
        var codebook = Path.Combine(TestData.NewTempFolder(), "codebook.parquet");
        var run = CliProcess.Run(
        [
            "mine", "--images", Path.Combine(TestData.Fixture, "images"), "--model", TestData.FixtureModel, "--out", codebook, "--json", "--allow-empty",
            "--preset", "llava-onevision-qwen2-7b", "--pad-token-id", "0", .. MineRuns.SmallParameters,
        ]);
        Assert.True(run.ExitCode == 0, run.Describe());

        using var summary = JsonDocument.Parse(run.Stdout);
        var parameters = summary.RootElement.GetProperty("parameters");
        Assert.Equal("llava-onevision-qwen2-7b", parameters.GetProperty("preset").GetString());
        Assert.Equal(3, parameters.GetProperty("small_cluster_max").GetInt32());
        Assert.Equal(0, parameters.GetProperty("skip_leading_tokens").GetArrayLength());
        Assert.Equal(0, parameters.GetProperty("pad_token_id").GetInt32());
        Assert.Equal(0.185, parameters.GetProperty("top1_thres").GetDouble());
        Assert.Equal(1, parameters.GetProperty("min_unique_images").GetInt32());
    }

    [Fact]
    public void Codebook_info_shows_the_preset_a_codebook_was_mined_with()
    {
        var mined = MineRuns.Clean;
        using var _ = mined.Summary();

        using var json = JsonDocument.Parse(MineRuns.InfoJson(mined.Codebook).Stdout);
        var text = CliProcess.Run("codebook", "info", mined.Codebook);

        Assert.Equal("llava-1.5-7b", json.RootElement.GetProperty("preset").GetString());
        Assert.Equal("llava-1.5-7b", json.RootElement.GetProperty("parameters").GetProperty("preset").GetString());
        Assert.Contains("preset            llava-1.5-7b", text.StdoutLines);
    }

    [Fact]
    public void Codebook_info_of_a_codebook_without_a_preset_says_none()
    {
        var imported = ReferenceCodebookRuns.Imported;

        using var json = JsonDocument.Parse(ReferenceCodebookRuns.InfoJson(imported).Stdout);
        var text = CliProcess.Run("codebook", "info", imported);

        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("preset").ValueKind);
        Assert.True(text.ExitCode == 0, text.Describe());
        Assert.Contains("preset            none", text.StdoutLines);
    }
}
