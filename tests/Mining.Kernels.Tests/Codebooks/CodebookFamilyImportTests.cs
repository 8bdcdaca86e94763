using System.IO.Compression;
using System.Text.Json;
using Mining.Kernels.Codebooks;
using Mining.Kernels.IO;
using Mining.Kernels.Model;
using Mining.Probe.Codebooks;
using ParquetSharp;

namespace Mining.Kernels.Tests.Codebooks;

/// <summary>
/// Importing the reference's released OneVision codebook (a PyTorch file) and recording a codebook's model family and
/// mining preset (<c>mining.family</c>, <c>mining.preset</c>).
/// </summary>
public sealed class CodebookFamilyImportTests
{
    private static string ReleasedOnevision => Path.Combine(TestData.Root, "fixtures", "reference-codebooks", "llava-onevision-qwen2-7b.prototypes.pt");

    private static string ReleasedOnevisionIds => Path.Combine(TestData.Root, "fixtures", "reference-codebooks", "llava-onevision-qwen2-7b.source-image-ids.json");

    private const string OnevisionId = "lmms-lab/llava-onevision-qwen2-7b-ov";

    /// <summary>The storage record's float16 values, read straight out of the zip: no pickle, no shape.</summary>
    private static float[] PlainStorageDecode()
    {
        using var zip = ZipFile.OpenRead(ReleasedOnevision);
        var entry = Assert.Single(zip.Entries, e => e.FullName.EndsWith("/data/0", StringComparison.Ordinal));
        var bytes = new byte[entry.Length];
        using (var stream = entry.Open())
        {
            stream.ReadExactly(bytes);
        }

        return Enumerable.Range(0, bytes.Length / 2).Select(i => (float)BitConverter.ToHalf(bytes, 2 * i)).ToArray();
    }

    private static string SmallNpy(int rows = 2, int hidden = 3)
    {
        var path = Path.Combine(TestData.NewTempFolder(), "small.npy");
        NpyFile.Write(path, NpyArray.FromFloat32(Enumerable.Range(1, rows * hidden).Select(i => (float)i).ToArray(), rows, hidden));
        return path;
    }

    [Fact]
    public void The_released_onevision_codebook_imports_as_45_prototypes_of_width_3584_with_its_ids()
    {
        var codebook = CodebookImport.FromTorch(ReleasedOnevision, ReleasedOnevisionIds, OnevisionId, ModelFamily.Onevision);
        Assert.Equal(45, codebook.Count);
        Assert.Equal(3584, codebook.Metadata.HiddenSize);
        Assert.Equal(JsonSerializer.Deserialize<string[]>(File.ReadAllText(ReleasedOnevisionIds)), codebook.Entries.Select(e => e.SourceImageId));
        Assert.Equal("213546", codebook.Entries[0].SourceImageId);
        Assert.Equal("""{"imported_from":"llava-onevision-qwen2-7b.prototypes.pt"}""", codebook.Metadata.ParametersJson);
    }

    [Fact]
    public void The_released_onevision_rows_are_the_storage_values_in_order_bit_for_bit()
    {
        var expected = PlainStorageDecode();
        var path = Path.Combine(TestData.NewTempFolder(), "ov.parquet");
        CodebookParquet.Write(CodebookImport.FromTorch(ReleasedOnevision, ReleasedOnevisionIds, OnevisionId, ModelFamily.Onevision), path);

        var actual = CodebookParquet.Read(path).Entries.SelectMany(e => e.Embedding).ToArray();

        Assert.Equal(45 * 3584, expected.Length);
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public void The_released_onevision_codebook_records_its_family_and_the_onevision_preset()
    {
        var codebook = CodebookImport.FromTorch(ReleasedOnevision, ReleasedOnevisionIds, OnevisionId, ModelFamily.Onevision);
        Assert.Equal("onevision", codebook.Metadata.Family);
        Assert.Equal("llava-onevision-qwen2-7b", codebook.Metadata.Preset);
    }

    [Theory]
    [InlineData("llava", "llava-1.5-7b")]
    [InlineData("onevision", "llava-onevision-qwen2-7b")]
    [InlineData("next", "llava-next-llama3-8b")]
    public void A_family_without_a_preset_records_the_familys_default_preset(string family, string preset)
    {
        var codebook = CodebookImport.FromNpy(SmallNpy(), null, "m", ModelFamily.Named(family));
        Assert.Equal((family, preset), (codebook.Metadata.Family, codebook.Metadata.Preset));
    }

    [Fact]
    public void A_preset_given_is_recorded_instead_of_the_default()
    {
        var codebook = CodebookImport.FromNpy(SmallNpy(), null, "m", ModelFamily.Llava, "llava-1.5-13b");
        Assert.Equal("llava-1.5-13b", codebook.Metadata.Preset);
    }

    [Fact]
    public void A_preset_without_a_family_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => CodebookImport.FromNpy(SmallNpy(), null, "m", null, "llava-1.5-7b"));
        Assert.Contains("preset 'llava-1.5-7b' needs the codebook's model family", e.Message);
    }

    [Fact]
    public void Without_a_family_the_file_has_neither_key()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "plain.parquet");
        CodebookParquet.Write(CodebookImport.FromNpy(SmallNpy(), null, "m"), path);

        using (var file = new ParquetFileReader(path))
        {
            Assert.DoesNotContain("mining.family", file.FileMetaData.KeyValueMetadata.Keys);
            Assert.DoesNotContain("mining.preset", file.FileMetaData.KeyValueMetadata.Keys);
        }

        var back = CodebookParquet.Read(path);
        Assert.Null(back.Metadata.Family);
        Assert.Null(back.Metadata.Preset);
    }

    [Fact]
    public void Family_and_preset_are_written_as_mining_keys_and_read_back()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "next.parquet");
        CodebookParquet.Write(CodebookImport.FromNpy(SmallNpy(), null, "m", ModelFamily.Next), path);

        using (var file = new ParquetFileReader(path))
        {
            Assert.Equal("next", file.FileMetaData.KeyValueMetadata["mining.family"]);
            Assert.Equal("llava-next-llama3-8b", file.FileMetaData.KeyValueMetadata["mining.preset"]);
        }

        var back = CodebookParquet.Read(path);
        Assert.Equal(("next", "llava-next-llama3-8b"), (back.Metadata.Family, back.Metadata.Preset));
    }

    [Fact]
    public void A_blank_family_key_written_by_another_tool_is_refused_naming_it()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "blank.parquet");
        var pairs = ForeignCodebook.Pairs(hidden: 2);
        pairs["mining.family"] = " ";
        ForeignCodebook.Write(path, pairs, ids: [0], embeddings: [[1f, 2f]], sources: ["a"]);

        var e = Assert.Throws<InvalidDataException>(() => CodebookParquet.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("mining.family is empty", e.Message);
    }

    [Fact]
    public void Diff_reports_a_family_recorded_on_one_side_only()
    {
        var npy = SmallNpy();
        var before = CodebookImport.FromNpy(npy, null, "m");
        var after = before with { Metadata = before.Metadata with { Family = "onevision", Preset = "llava-onevision-qwen2-7b" } };

        var diff = CodebookDiff.Compare(before, after);

        Assert.Equal(
            [new MetadataChange("mining.family", null, "onevision"), new MetadataChange("mining.preset", null, "llava-onevision-qwen2-7b")],
            diff.Metadata);
    }

    [Fact]
    public void A_checkpoint_folder_needs_only_its_config_json_to_give_family_and_width()
    {
        var folder = TestData.NewTempFolder();
        var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(TestData.NextFixtureModel, "config.json")))!;
        config["text_config"]!["hidden_size"] = 128;
        File.WriteAllText(Path.Combine(folder, "config.json"), config.ToJsonString());

        var target = CodebookTarget.Of(folder);

        Assert.Equal((ModelFamily.Next, 128), (target.Family, target.HiddenSize));
    }

    [Fact]
    public void The_tiny_fixtures_are_llava_and_next_checkpoints_64_wide()
    {
        Assert.Equal((ModelFamily.Llava, 64), (CodebookTarget.Of(TestData.FixtureModel).Family, CodebookTarget.Of(TestData.FixtureModel).HiddenSize));
        Assert.Equal((ModelFamily.Next, 64), (CodebookTarget.Of(TestData.NextFixtureModel).Family, CodebookTarget.Of(TestData.NextFixtureModel).HiddenSize));
    }
}
