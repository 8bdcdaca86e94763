using System.Text.Json;

namespace Mining.Client.Tests.Commands;

/// <summary><c>mining mine --json</c> over a folder of the three fixture images, read back with <c>mining codebook info --json</c>.</summary>
public sealed class MineTests
{
    [Fact]
    public void Json_stdout_is_exactly_one_json_document_and_the_progress_goes_to_stderr()
    {
        var run = MineRuns.Clean.Result;
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Single(run.StdoutLines);
        using var document = JsonDocument.Parse(run.Stdout); // throws on anything after the document
        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
        Assert.Contains("3/3 images", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Out_is_a_parquet_file()
    {
        var run = MineRuns.Clean;
        Assert.True(run.Result.ExitCode == 0, run.Result.Describe());
        var bytes = File.ReadAllBytes(run.Codebook);
        Assert.Equal("PAR1"u8.ToArray(), bytes[..4]); // Parquet files start and end with this magic
        Assert.Equal("PAR1"u8.ToArray(), bytes[^4..]);
    }

    [Fact]
    public void Summary_counts_three_images_ok_of_36_candidate_tokens_each()
    {
        using var summary = MineRuns.Clean.Summary();
        var root = summary.RootElement;
        Assert.Equal(3, root.GetProperty("images").GetInt32());
        Assert.Equal(3, root.GetProperty("images_ok").GetInt32());
        Assert.Equal(0, root.GetProperty("images_failed").GetInt32());
        Assert.Equal(3 * 36, root.GetProperty("candidates").GetInt32()); // --all-tokens on the 6×6 grid
    }

    [Fact]
    public void Summary_parameters_are_an_object_holding_the_options_given()
    {
        using var summary = MineRuns.Clean.Summary();
        var parameters = summary.RootElement.GetProperty("parameters");
        Assert.Equal(JsonValueKind.Object, parameters.ValueKind);
        Assert.Equal(0.185, parameters.GetProperty("top1_thres").GetDouble());
        Assert.Equal(0.15, parameters.GetProperty("jsd_thres").GetDouble());
        Assert.Equal(4, parameters.GetProperty("image_clusters").GetInt32());
        Assert.Equal(4, parameters.GetProperty("prototype_clusters").GetInt32());
        Assert.Equal(1, parameters.GetProperty("min_unique_images").GetInt32());
    }

    [Fact]
    public void Codebook_info_rows_are_the_summarys_prototypes_after_dedup_and_not_zero()
    {
        using var summary = MineRuns.Clean.Summary();
        using var info = InfoJson();
        var rows = info.RootElement.GetProperty("rows").GetInt32();
        Assert.True(rows > 0, "the small parameters left an empty codebook, so the other checks would prove little");
        Assert.Equal(summary.RootElement.GetProperty("prototypes_after_dedup").GetInt32(), rows);
    }

    [Fact]
    public void Codebook_info_reports_hidden_size_64_format_version_1_and_the_model_id_given()
    {
        using var info = InfoJson();
        Assert.Equal(64, info.RootElement.GetProperty("hidden_size").GetInt32()); // the fixture's text hidden size
        Assert.Equal("1", info.RootElement.GetProperty("format_version").GetString());
        Assert.Equal(MineRuns.ModelId, info.RootElement.GetProperty("model").GetString());
    }

    private static JsonDocument InfoJson()
    {
        var run = MineRuns.Clean;
        Assert.True(run.Result.ExitCode == 0, run.Result.Describe());
        var info = MineRuns.InfoJson(run.Codebook);
        Assert.True(info.ExitCode == 0, info.Describe());
        return JsonDocument.Parse(info.Stdout);
    }
}
