using System.Text.Json;
using Mining.Kernels.IO;
using Mining.Probe.Codebooks;

namespace Mining.Client.Tests.Commands;

/// <summary>
/// A codebook's model family and preset through the CLI: <c>codebook import</c> records them (from <c>--family</c> or
/// a checkpoint folder given as <c>--model</c>), <c>codebook info</c> shows them, and <c>probe --model DIR</c> refuses a
/// codebook of another family or width than the checkpoint's config.json.
/// </summary>
public sealed class CodebookFamilyTests
{
    private static string ReleasedOnevision => Path.Combine(TestData.ReferenceCodebooks, "llava-onevision-qwen2-7b.prototypes.pt");

    private static string ReleasedOnevisionIds => Path.Combine(TestData.ReferenceCodebooks, "llava-onevision-qwen2-7b.source-image-ids.json");

    /// <summary>The released OneVision codebook imported once for every test that reads it.</summary>
    private static readonly Lazy<string> ImportedOnevision = new(() =>
    {
        var path = Path.Combine(TestData.NewTempFolder(), "onevision.parquet");
        var run = CliProcess.Run(
            "codebook", "import", "--pt", ReleasedOnevision, "--source-ids", ReleasedOnevisionIds,
            "--model", "lmms-lab/llava-onevision-qwen2-7b-ov", "--family", "onevision", "--out", path);
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Equal($"wrote {path}: 45 prototypes × 3584, family onevision, preset llava-onevision-qwen2-7b", Assert.Single(run.StdoutLines));
        return path;
    });

    [Fact]
    public void The_released_onevision_pt_imports_and_info_json_shows_its_shape_family_and_preset()
    {
        var run = CliProcess.Run("codebook", "info", ImportedOnevision.Value, "--json");
        Assert.True(run.ExitCode == 0, run.Describe());
        using var info = JsonDocument.Parse(run.Stdout);
        Assert.Equal(45, info.RootElement.GetProperty("rows").GetInt32());
        Assert.Equal(3584, info.RootElement.GetProperty("hidden_size").GetInt32());
        Assert.Equal("onevision", info.RootElement.GetProperty("family").GetString());
        Assert.Equal("llava-onevision-qwen2-7b", info.RootElement.GetProperty("preset").GetString());
        Assert.Equal(37, info.RootElement.GetProperty("source_images").GetInt32());
    }

    [Fact]
    public void Info_prints_the_family_after_the_model_and_the_imported_preset()
    {
        var run = CliProcess.Run("codebook", "info", ImportedOnevision.Value);
        Assert.True(run.ExitCode == 0, run.Describe());
        var lines = run.StdoutLines;
        var model = Array.FindIndex(lines, l => l.StartsWith("model ", StringComparison.Ordinal));
        Assert.Equal("family            onevision", lines[model + 1]);
        Assert.Equal("preset            llava-onevision-qwen2-7b", Assert.Single(lines, l => l.StartsWith("preset ", StringComparison.Ordinal)));
    }

    [Fact]
    public void Info_of_a_codebook_without_a_family_prints_no_family_and_preset_none()
    {
        var path = Import(Npy(2, 64), "--model", "some/model");
        var text = CliProcess.Run("codebook", "info", path);
        var json = CliProcess.Run("codebook", "info", path, "--json");

        Assert.True(text.ExitCode == 0, text.Describe());
        Assert.DoesNotContain(text.StdoutLines, l => l.StartsWith("family", StringComparison.Ordinal));
        Assert.Contains("preset            none", text.StdoutLines);
        using var info = JsonDocument.Parse(json.Stdout);
        Assert.Equal(JsonValueKind.Null, info.RootElement.GetProperty("family").ValueKind);
        Assert.Equal(JsonValueKind.Null, info.RootElement.GetProperty("preset").ValueKind);
    }

    [Fact]
    public void Import_with_a_checkpoint_folder_records_its_family_and_the_familys_default_preset()
    {
        var path = Import(Npy(2, 64), "--model", TestData.NextFixtureModel);
        var metadata = CodebookParquet.Read(path).Metadata;
        Assert.Equal(("next", "llava-next-llama3-8b"), (metadata.Family, metadata.Preset));
    }

    [Fact]
    public void Import_records_the_preset_given()
    {
        var path = Import(Npy(2, 64), "--model", "liuhaotian/llava-v1.5-13b", "--family", "llava", "--preset", "llava-1.5-13b");
        var metadata = CodebookParquet.Read(path).Metadata;
        Assert.Equal(("llava", "llava-1.5-13b"), (metadata.Family, metadata.Preset));
    }

    [Fact]
    public void Import_refuses_a_family_that_disagrees_with_the_checkpoint_folder()
    {
        var run = ImportRun(Npy(2, 64), "--model", TestData.NextFixtureModel, "--family", "llava");
        CliAssert.UserError(run, "--family llava", TestData.NextFixtureModel, "family next");
    }

    [Fact]
    public void Import_refuses_rows_of_another_width_than_the_checkpoint_folders()
    {
        var npy = Npy(45, 3584);
        var run = ImportRun(npy, "--model", TestData.FixtureModel);
        CliAssert.UserError(run, $"codebook {npy} is for family llava (3584 wide); model {TestData.FixtureModel} is llava (64)");
    }

    [Fact]
    public void Import_refuses_a_preset_without_a_family()
    {
        var run = ImportRun(Npy(2, 64), "--model", "some/model", "--preset", "llava-1.5-7b");
        CliAssert.UserError(run, "--preset llava-1.5-7b", "--family");
    }

    [Fact]
    public void Import_refuses_an_unknown_family_naming_the_option()
    {
        var run = ImportRun(Npy(2, 64), "--model", "some/model", "--family", "qwen");
        CliAssert.UserError(run, "--family", "qwen");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Import_wants_exactly_one_of_npy_and_pt(bool both)
    {
        var npy = Npy(2, 64);
        string[] inputs = both ? ["--npy", npy, "--pt", ReleasedOnevision] : [];
        var run = CliProcess.Run(["codebook", "import", .. inputs, "--model", "m", "--out", Path.Combine(TestData.NewTempFolder(), "x.parquet")]);
        CliAssert.UserError(run, "exactly one of --npy and --pt");
    }

    [Fact]
    public void Probe_refuses_a_onevision_codebook_for_a_llava_checkpoint_naming_both_families_and_widths()
    {
        var codebook = Import(Npy(45, 3584), "--model", "lmms-lab/llava-onevision-qwen2-7b-ov", "--family", "onevision");
        var run = CliProcess.Run("probe", "--codebook", codebook, "--tokens", Npy(5, 3584), "--ratio", "0.5", "--model", TestData.FixtureModel);
        CliAssert.UserError(run, $"codebook {codebook} is for family onevision (3584 wide); model {TestData.FixtureModel} is llava (64)");
    }

    [Fact]
    public void Probe_refuses_a_llava_codebook_for_the_next_checkpoint_of_the_same_width()
    {
        var codebook = Import(Npy(2, 64), "--model", TestData.FixtureModel);
        var run = CliProcess.Run("probe", "--codebook", codebook, "--tokens", Npy(5, 64), "--ratio", "0.5", "--model", TestData.NextFixtureModel);
        CliAssert.UserError(run, $"codebook {codebook} is for family llava (64 wide); model {TestData.NextFixtureModel} is next (64)");
    }

    [Fact]
    public void Probe_runs_a_codebook_of_the_checkpoints_family_and_width()
    {
        var codebook = Import(Npy(2, 64), "--model", TestData.NextFixtureModel);
        var run = CliProcess.Run("probe", "--codebook", codebook, "--tokens", Npy(5, 64), "--ratio", "0.4", "--model", TestData.NextFixtureModel);
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.StartsWith("keep 2 of 5 tokens: ", Assert.Single(run.StdoutLines), StringComparison.Ordinal);
    }

    [Fact]
    public void Probe_checks_a_codebook_without_a_family_on_its_width_alone()
    {
        var codebook = Import(Npy(2, 64), "--model", "some/model");
        var ok = CliProcess.Run("probe", "--codebook", codebook, "--tokens", Npy(5, 64), "--ratio", "0.4", "--model", TestData.NextFixtureModel);
        Assert.True(ok.ExitCode == 0, ok.Describe());

        var wide = Import(Npy(2, 65), "--model", "some/model");
        var refused = CliProcess.Run("probe", "--codebook", wide, "--tokens", Npy(5, 65), "--ratio", "0.4", "--model", TestData.NextFixtureModel);
        CliAssert.UserError(refused, $"codebook {wide} is 65 wide (it records no family); model {TestData.NextFixtureModel} is next (64)");
    }

    [Fact]
    public void Probe_names_a_model_path_that_does_not_exist()
    {
        var codebook = Import(Npy(2, 64), "--model", "some/model");
        var run = CliProcess.Run("probe", "--codebook", codebook, "--tokens", Npy(5, 64), "--ratio", "0.4", "--model", "./no-such-checkpoint");
        CliAssert.UserError(run, "--model", "no-such-checkpoint", "does not exist");
    }

    private static CliResult ImportRun(string npy, params string[] options) =>
        CliProcess.Run(["codebook", "import", "--npy", npy, .. options, "--out", Path.Combine(TestData.NewTempFolder(), "codebook.parquet")]);

    /// <summary>Imports <paramref name="npy"/> and returns the Parquet file; fails the test if the import fails.</summary>
    private static string Import(string npy, params string[] options)
    {
        var path = Path.Combine(TestData.NewTempFolder(), "codebook.parquet");
        var run = CliProcess.Run(["codebook", "import", "--npy", npy, .. options, "--out", path]);
        Assert.True(run.ExitCode == 0, run.Describe());
        return path;
    }

    /// <summary>A float16 .npy [rows, columns] of seeded values, as the released codebooks store them.</summary>
    private static string Npy(int rows, int columns)
    {
        var random = new Random(rows * 7919 + columns);
        var bytes = new byte[rows * columns * 2];
        for (var i = 0; i < rows * columns; i++)
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(2 * i), (Half)(random.NextSingle() * 2 - 1));
        }

        var path = Path.Combine(TestData.NewTempFolder(), $"array-{rows}x{columns}.npy");
        NpyFile.Write(path, new NpyArray([rows, columns], NpyDType.Float16, bytes));
        return path;
    }
}
