using Mining.Kernels.Checkpoints;
using Mining.Kernels.Datasets;
using Mining.Kernels.Experiments;
using Mining.Kernels.Imaging;
using Mining.Kernels.Model;
using Mining.Kernels.Pipeline;

namespace Mining.Kernels.Tests.Runtime;

/// <summary>Checkpoints written by make-tiny (<see cref="TinyCheckpoint.Create"/>), of every family it writes, go through the same loader and runtime as downloaded ones.</summary>
public sealed class TinyCheckpointRuntimeTests
{
    private const string SampleImage = "astronaut.png";

    public static TheoryData<string> Specs => new(
        "default", "current-bf16-two-shards", "omit-default-config-fields",
        "next", "next-current-f16-three-shards", "next-bf16", "next-omit-default-config-fields",
        "onevision", "onevision-current-bf16-tied-three-shards", "onevision-omit-default-config-fields", "onevision-so400m-like-grid");

    public static TheoryData<string> Families => new("llava", "next", "onevision");

    [Theory]
    [MemberData(nameof(Specs))]
    public void A_tiny_checkpoint_loads_encodes_an_image_and_gives_finite_logits_of_vocabulary_length(string name)
    {
        var spec = Spec(name);
        using var runtime = LlavaRuntime.Load(Create(spec));
        using var image = runtime.Encode(SamplePixels(runtime));
        Assert.Equal(spec.Family, runtime.Family);
        Assert.Equal(spec.Grid, image.Grid);

        var logits = runtime.BaselineLogits(image);

        Assert.Equal(spec.VocabSize, logits.Length);
        Assert.All(logits, x => Assert.True(float.IsFinite(x), $"logit {x} is not finite"));
        Assert.True(logits.Max() - logits.Min() > 1e-3f, "the logits are flat: the random weights did not reach the head");
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void A_tiny_checkpoint_mines_an_image_with_its_familys_defaults(string family)
    {
        var spec = new TinyCheckpointSpec { Family = Family(family), Seed = 5 };
        using var runtime = LlavaRuntime.Load(Create(spec));
        var parameters = new MiningParameters { SkipLeadingTokens = MiningPreset.DefaultFor(runtime.Family).SkipLeadingTokens };

        var mined = new ImageMiner(runtime, parameters, CandidateMode.All).Mine(new DatasetImage("astronaut", Path.Combine(TestData.Samples, SampleImage)));

        Assert.Equal(ImageStatus.Ok, mined.Result.Status);
        Assert.Equal(spec.Grid * spec.Grid, mined.Result.Candidates.Count);
        Assert.All(mined.Result.Candidates, c => Assert.True(
            double.IsFinite(c.Measurement.Top1Prob) && double.IsFinite(c.Measurement.JsdRegion) && double.IsFinite(c.Measurement.JsdGlobal),
            $"token {c.Measurement.TokenIndex}: top1 {c.Measurement.Top1Prob}, JSD {c.Measurement.JsdRegion} / {c.Measurement.JsdGlobal}"));
        Assert.Contains(mined.Result.Candidates, c => c.Measurement.JsdGlobal > 0);
    }

    [Fact]
    public void A_tiny_next_checkpoint_is_llava_next_with_llama3_settings_and_the_references_two_begin_of_text_ids()
    {
        var dir = Create(new TinyCheckpointSpec { Family = ModelFamily.Next });
        using var runtime = LlavaRuntime.Load(dir);
        using var weights = CheckpointWeights.Open(dir);

        Assert.Equal(LlavaConfig.NextModelType, runtime.Config.ModelType);
        Assert.Equal(500000.0, runtime.Config.Text.RopeTheta);
        Assert.Equal(LlavaConfig.NextDefaultGridPinpoints, runtime.Config.ImageGridPinpoints);
        Assert.Contains(CheckpointNames.ImageNewline, weights.Names);
        var bos = runtime.Tokenizer.BosId!.Value;
        Assert.Equal("<|begin_of_text|>", runtime.Tokenizer.IdToPiece(bos));
        Assert.Equal([bos, bos], runtime.Prompt.PrefixIds.Take(2));
        Assert.DoesNotContain(bos, runtime.Prompt.PrefixIds.Skip(2));
        Assert.Equal("<image>", runtime.Tokenizer.IdToPiece(runtime.Config.ImageTokenIndex));
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void Layout_and_shard_twins_give_bitwise_identical_logits(string family)
    {
        var published = new TinyCheckpointSpec { Family = Family(family), Seed = 11 };
        var current = published with { Layout = CheckpointLayout.Current, Shards = 3 };

        Assert.Equal(ChelseaLogits.Bits(SampleLogits(Create(published))), ChelseaLogits.Bits(SampleLogits(Create(current))));
    }

    /// <summary>
    /// An fp16 or bf16 twin stores each fp32 weight rounded to nearest even (rounded here by hand), and its logits stay within
    /// eight units of that rounding (2^-11 for fp16, 2^-9 for bf16) of the largest logit: the runtime computes in fp32 either way,
    /// so only the weights' rounding moves them (measured: about 1.5 units for fp16, 4 for bf16).
    /// </summary>
    [Theory]
    [InlineData("next", "F16")]
    [InlineData("next", "BF16")]
    [InlineData("llava", "BF16")]
    public void A_half_precision_twin_stores_the_rounded_weights_and_gives_logits_within_the_rounding(string family, string dtype)
    {
        var full = new TinyCheckpointSpec { Family = Family(family), Seed = 13 };
        var half = full with { DType = Enum.Parse<SafeTensorDType>(dtype), Shards = 2 };
        var fullDir = Create(full);
        var halfDir = Create(half);
        using (var a = CheckpointWeights.Open(fullDir))
        using (var b = CheckpointWeights.Open(halfDir))
        {
            Assert.Equal(a.Names.Order(StringComparer.Ordinal), b.Names.Order(StringComparer.Ordinal));
            foreach (var name in a.Names)
            {
                Assert.Equal(a.ReadFloat32(name).Select(x => Round(x, half.DType)), b.ReadFloat32(name));
            }
        }

        var expected = SampleLogits(fullDir);
        var actual = SampleLogits(halfDir);
        var difference = ChelseaLogits.MaxAbsDifference(expected, actual);
        Assert.True(difference > 0, "the half-precision twin gives the fp32 logits exactly: its weights were not rounded");
        var bound = 8 * (half.DType == SafeTensorDType.F16 ? Math.Pow(2, -11) : Math.Pow(2, -9)) * ChelseaLogits.MaxAbs(expected);
        Assert.True(difference <= bound, $"max |Δlogit| {difference} exceeds {bound} (8 rounding units of max |logit| {ChelseaLogits.MaxAbs(expected)})");
    }

    private static float Round(float value, SafeTensorDType dtype) => dtype switch
    {
        SafeTensorDType.F16 => (float)(Half)value,

        // bfloat16 keeps the top 16 bits of the fp32 pattern, rounded to nearest, ties to even.
        SafeTensorDType.BF16 => BitConverter.UInt32BitsToSingle(
            (BitConverter.SingleToUInt32Bits(value) + 0x7FFFu + ((BitConverter.SingleToUInt32Bits(value) >> 16) & 1u)) & 0xFFFF0000u),
        _ => value,
    };

    private static ModelFamily Family(string name) => ModelFamily.All.Single(f => f.Name == name);

    private static TinyCheckpointSpec Spec(string name) => name switch
    {
        "default" => new TinyCheckpointSpec(),
        "current-bf16-two-shards" => new TinyCheckpointSpec { Layout = CheckpointLayout.Current, DType = SafeTensorDType.BF16, Shards = 2 },
        "omit-default-config-fields" => new TinyCheckpointSpec { OmitDefaultConfigFields = true },
        "next" => new TinyCheckpointSpec { Family = ModelFamily.Next },
        "next-current-f16-three-shards" => new TinyCheckpointSpec { Family = ModelFamily.Next, Layout = CheckpointLayout.Current, DType = SafeTensorDType.F16, Shards = 3 },
        "next-bf16" => new TinyCheckpointSpec { Family = ModelFamily.Next, DType = SafeTensorDType.BF16 },
        "next-omit-default-config-fields" => new TinyCheckpointSpec { Family = ModelFamily.Next, OmitDefaultConfigFields = true },
        "onevision" => new TinyCheckpointSpec { Family = ModelFamily.Onevision },
        "onevision-current-bf16-tied-three-shards" => new TinyCheckpointSpec { Family = ModelFamily.Onevision, Layout = CheckpointLayout.Current, DType = SafeTensorDType.BF16, Shards = 3, TieWordEmbeddings = true },
        "onevision-omit-default-config-fields" => new TinyCheckpointSpec { Family = ModelFamily.Onevision, OmitDefaultConfigFields = true },
        "onevision-so400m-like-grid" => new TinyCheckpointSpec { Family = ModelFamily.Onevision, Grid = 9, PatchSize = 14, VisionHeads = 2, TextHeads = 8, TextKvHeads = 1 },
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown spec"),
    };

    private static string Create(TinyCheckpointSpec spec)
    {
        var dir = Path.Combine(TestData.NewTempFolder(), "tiny");
        TinyCheckpoint.Create(spec, dir);
        return dir;
    }

    /// <summary>A sample photo at the checkpoint's own image size, through Mining's CLIP preprocessing.</summary>
    private static float[] SamplePixels(LlavaRuntime runtime) =>
        new ImagePreprocessor(runtime.Preprocessor).Preprocess(ImageDecoder.Decode(Path.Combine(TestData.Samples, SampleImage))).PixelValues;

    /// <summary>Baseline and three variants of the sample image.</summary>
    private static float[][] SampleLogits(string dir)
    {
        using var runtime = LlavaRuntime.Load(dir);
        using var image = runtime.Encode(SamplePixels(runtime));
        int[][] variants =
        [
            VisualVariant.Single(5, 1),
            VisualVariant.Window(20, image.Grid),
            VisualVariant.WindowCenterPadded(20, image.Grid),
        ];
        return [runtime.BaselineLogits(image), .. runtime.FirstTokenLogits(image, variants, padTokenId: 0)];
    }
}
