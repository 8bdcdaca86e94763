using Mining.Probe.Codebooks;
using Mining.Probe.Pruning;

namespace Mining.Kernels.Tests.Probe;

/// <summary>The probe library on bad input: each a clear error naming the input and the problem.</summary>
public sealed class ProbeBadInputTests
{
    private static ReferenceProbeData Data => ReferenceProbeData.Value;

    [Fact]
    public void Float16_tokens_of_another_width_are_refused_naming_both_widths()
    {
        var probe = PrototypeProbe.FromCodebook(Data.Codebook);
        var e = Assert.Throws<ArgumentException>(() => probe.Select(new Half[3 * 1024], 3, KeepRule.Threshold(0.45)));
        Assert.Contains("width 4096", e.Message);
        Assert.Contains("3 tokens of width 1024", e.Message);
    }

    [Fact]
    public void A_nan_among_thousands_of_float16_tokens_is_refused_with_its_position()
    {
        // 2880 tokens take the parallel path, where each panel checks its own tokens.
        var tokens = (Half[])Data.HalfTokens.Clone();
        tokens[(2000 * 4096) + 7] = Half.NaN;
        var probe = PrototypeProbe.FromCodebook(Data.Codebook);
        var e = Assert.Throws<ArgumentException>(() => probe.Select(tokens, ReferenceProbeData.TokenCount, KeepRule.Ratio(0.5)));
        Assert.Contains("token 2000, element 7 is NaN", e.Message);
    }

    [Fact]
    public void A_batch_whose_counts_do_not_add_up_to_the_tokens_is_refused()
    {
        var probe = PrototypeProbe.FromCodebook(Data.Codebook);
        var e = Assert.Throws<ArgumentException>(() => probe.SelectBatch(Data.Tokens.AsSpan(0, 10 * 4096), [4, 5], KeepRule.Ratio(0.5)));
        Assert.Contains("expected 9 tokens of width 4096", e.Message);
    }

    [Fact]
    public void A_codebook_for_another_model_is_refused_when_the_caller_names_its_model()
    {
        var e = Assert.Throws<InvalidDataException>(() =>
            PrototypeProbe.FromCodebook(Data.Codebook, new CodebookRequirement("llava-hf/llava-v1.6-mistral-7b-hf")));
        Assert.Contains("'llava-hf/llava-1.5-7b-hf'", e.Message);
        Assert.Contains("'llava-hf/llava-v1.6-mistral-7b-hf'", e.Message);
    }

    [Fact]
    public void The_model_id_check_ignores_case_as_hugging_face_ids_do()
    {
        var probe = PrototypeProbe.FromCodebook(Data.Codebook, new CodebookRequirement("LLaVA-HF/llava-1.5-7b-hf"));
        Assert.Equal(ReferenceProbeData.Rows, probe.Count);
    }

    [Fact]
    public void A_codebook_of_another_hidden_size_is_refused_naming_both()
    {
        var e = Assert.Throws<InvalidDataException>(() => new CodebookRequirement(HiddenSize: 5120).Check(Data.Codebook, "cb.parquet"));
        Assert.Contains("cb.parquet", e.Message);
        Assert.Contains("hidden size is 4096", e.Message);
        Assert.Contains("width 5120", e.Message);
    }

    [Fact]
    public void A_truncated_codebook_file_is_refused_with_its_name()
    {
        var bytes = File.ReadAllBytes(Data.Exported);
        var path = Path.Combine(TestData.NewTempFolder(), "truncated.parquet");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var e = Assert.Throws<InvalidDataException>(() => CodebookParquet.Read(path));

        Assert.Contains(path, e.Message);
        Assert.Contains("not a readable Parquet codebook", e.Message);
    }

    [Fact]
    public void A_codebook_missing_only_its_last_byte_is_refused()
    {
        var bytes = File.ReadAllBytes(Data.Exported);
        var path = Path.Combine(TestData.NewTempFolder(), "short.parquet");
        File.WriteAllBytes(path, bytes[..^1]);
        var e = Assert.Throws<InvalidDataException>(() => CodebookParquet.Read(path));
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void A_file_that_is_not_parquet_is_refused_as_such()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "tokens.npy");
        File.Copy(Codebooks.CodebookImportTests.ReferenceNpy, path);
        var e = Assert.Throws<InvalidDataException>(() => CodebookParquet.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("not a readable Parquet codebook", e.Message);
    }
}
