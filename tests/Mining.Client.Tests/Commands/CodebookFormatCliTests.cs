using Mining.Kernels.IO;
using Parquet;
using Parquet.Schema;

namespace Mining.Client.Tests.Commands;

/// <summary>
/// The CLI on codebooks it must refuse — another format version, a truncated or non-Parquet file, another model —
/// each one error line naming the file and the problem, exit code 2; and on float16 and batched tokens.
/// </summary>
public sealed class CodebookFormatCliTests
{
    private static readonly Lazy<string> Version2 = new(() => WriteVersion2().GetAwaiter().GetResult());

    /// <summary>What a future Mining might write: only the version key is promised to be there.</summary>
    private static async Task<string> WriteVersion2()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "v2.parquet");
        await using var stream = File.Create(path);
        var field = new DataField<int>("prototype_id");
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(field), stream);
        writer.CustomMetadata = new Dictionary<string, string> { ["mining.format_version"] = "2", ["mining.hidden_size"] = "4096" };
        using (var group = writer.CreateRowGroup())
        {
            await group.WriteAsync<int>(field, new[] { 0, 1 });
        }

        return path;
    }

    [Fact]
    public void Codebook_info_refuses_format_version_2_naming_both_versions()
    {
        var run = CliProcess.Run("codebook", "info", Version2.Value);
        CliAssert.UserError(run, Version2.Value, "mining.format_version is '2'", "supports format version 1");
    }

    [Fact]
    public void Probe_refuses_format_version_2()
    {
        var run = CliProcess.Run("probe", "--codebook", Version2.Value, "--tokens", Tokens(Half.One, 2, 4096), "--ratio", "0.5");
        CliAssert.UserError(run, Version2.Value, "'2'");
    }

    [Fact]
    public void Probe_refuses_a_truncated_codebook_naming_it()
    {
        var bytes = File.ReadAllBytes(ReferenceCodebookRuns.Imported);
        var path = Path.Combine(TestData.NewTempFolder(), "truncated.parquet");
        File.WriteAllBytes(path, bytes[..(bytes.Length * 3 / 4)]);
        var run = CliProcess.Run("probe", "--codebook", path, "--tokens", Tokens(Half.One, 2, 4096), "--ratio", "0.5");
        CliAssert.UserError(run, path, "not a readable Parquet codebook");
    }

    [Fact]
    public void Probe_refuses_a_codebook_file_that_is_not_parquet()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "prototypes.parquet");
        File.Copy(TestData.ReferencePrototypes, path);
        var run = CliProcess.Run("probe", "--codebook", path, "--tokens", Tokens(Half.One, 2, 4096), "--ratio", "0.5");
        CliAssert.UserError(run, path, "not a readable Parquet codebook");
    }

    [Fact]
    public void Probe_refuses_a_codebook_for_another_model_than_the_one_it_is_given()
    {
        var run = CliProcess.Run(
            "probe", "--codebook", ReferenceCodebookRuns.Imported, "--tokens", Tokens(Half.One, 2, 4096), "--ratio", "0.5", "--model", "llava-hf/llava-v1.6-vicuna-13b-hf");
        CliAssert.UserError(run, ReferenceCodebookRuns.Imported, "'llava-hf/llava-1.5-7b-hf'", "'llava-hf/llava-v1.6-vicuna-13b-hf'");
    }

    [Fact]
    public void Probe_accepts_the_codebooks_own_model()
    {
        var run = CliProcess.Run(
            "probe", "--codebook", ReferenceCodebookRuns.Imported, "--tokens", Tokens(Half.One, 2, 4096), "--ratio", "0.5", "--model", ReferenceCodebookRuns.ModelId);
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.StartsWith("keep 1 of 2 tokens", run.Stdout);
    }

    [Fact]
    public void Float16_tokens_keep_what_their_float32_widening_keeps_with_the_same_scores()
    {
        var (half, single) = TokenPair(rows: 40);
        var fromHalf = CliProcess.Run("probe", "--codebook", ReferenceCodebookRuns.Imported, "--tokens", half, "--threshold", "0.2", "--json");
        var fromSingle = CliProcess.Run("probe", "--codebook", ReferenceCodebookRuns.Imported, "--tokens", single, "--threshold", "0.2", "--json");
        Assert.True(fromHalf.ExitCode == 0, fromHalf.Describe());
        Assert.Equal(fromSingle.Stdout, fromHalf.Stdout);
    }

    [Fact]
    public void A_batch_of_two_images_keeps_for_each_what_it_keeps_alone()
    {
        var (half, _) = TokenPair(rows: 40);
        var array = NpyFile.Read(half);
        var batch = Path.Combine(TestData.NewTempFolder(), "batch.npy");
        NpyFile.Write(batch, array with { Shape = [2, 20, 4096] });
        var first = Path.Combine(TestData.NewTempFolder(), "first.npy");
        NpyFile.Write(first, array with { Shape = [20, 4096], Data = array.Data[..(20 * 4096 * 2)] });
        var second = Path.Combine(TestData.NewTempFolder(), "second.npy");
        NpyFile.Write(second, array with { Shape = [20, 4096], Data = array.Data[(20 * 4096 * 2)..] });

        var both = CliProcess.Run("probe", "--codebook", ReferenceCodebookRuns.Imported, "--tokens", batch, "--ratio", "0.3");
        var alone = new[] { first, second }.Select(f => CliProcess.Run("probe", "--codebook", ReferenceCodebookRuns.Imported, "--tokens", f, "--ratio", "0.3")).ToArray();

        Assert.True(both.ExitCode == 0, both.Describe());
        Assert.Equal(["image 0: " + alone[0].StdoutLines[0], "image 1: " + alone[1].StdoutLines[0]], both.StdoutLines);
    }

    /// <summary>[rows, 4096] float16 tokens mixing codebook rows with a cosine pattern, and their exact float32 widening.</summary>
    private static (string Half, string Single) TokenPair(int rows)
    {
        var prototypes = NpyFile.Read(TestData.ReferencePrototypes);
        var half = new Half[rows * 4096];
        for (var r = 0; r < rows; r++)
        {
            for (var j = 0; j < 4096; j++)
            {
                var prototype = (float)BitConverter.ToHalf(prototypes.Data, 2 * ((r * 11 % 454 * 4096) + j));
                half[(r * 4096) + j] = (Half)((r / (float)rows * prototype) + MathF.Cos((r * 7) + (j * 0.37f)));
            }
        }

        var folder = TestData.NewTempFolder();
        var halfPath = Path.Combine(folder, "half.npy");
        var bytes = new byte[half.Length * 2];
        for (var i = 0; i < half.Length; i++)
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(2 * i), half[i]);
        }

        NpyFile.Write(halfPath, new NpyArray([rows, 4096], NpyDType.Float16, bytes));
        var singlePath = Path.Combine(folder, "single.npy");
        NpyFile.Write(singlePath, NpyArray.FromFloat32(half.Select(h => (float)h).ToArray(), rows, 4096));
        return (halfPath, singlePath);
    }

    private static string Tokens(Half value, int rows, int columns)
    {
        var path = Path.Combine(TestData.NewTempFolder(), "tokens.npy");
        NpyFile.Write(path, NpyArray.FromFloat32(Enumerable.Range(0, rows * columns).Select(i => (float)value * MathF.Sin(i)).ToArray(), rows, columns));
        return path;
    }
}
