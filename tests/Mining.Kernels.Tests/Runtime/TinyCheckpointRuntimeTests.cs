using Mining.Kernels.Checkpoints;
using Mining.Kernels.Experiments;
using Mining.Kernels.Imaging;
using Mining.Kernels.Model;

namespace Mining.Kernels.Tests.Runtime;

/// <summary>Checkpoints written by make-tiny (<see cref="TinyCheckpoint.Create"/>) go through the same loader and runtime as downloaded ones.</summary>
public sealed class TinyCheckpointRuntimeTests
{
    private const string SampleImage = "astronaut.png";

    public static TheoryData<string> Specs => new("default", "current-bf16-two-shards", "omit-default-config-fields");

    [Theory]
    [MemberData(nameof(Specs))]
    public void A_tiny_checkpoint_loads_encodes_an_image_and_gives_finite_logits_of_vocabulary_length(string name)
    {
        var spec = Spec(name);
        using var runtime = LlavaRuntime.Load(Create(spec));
        using var image = runtime.Encode(SamplePixels(runtime));
        Assert.Equal(spec.Grid, image.Grid);

        var logits = runtime.BaselineLogits(image);

        Assert.Equal(spec.VocabSize, logits.Length);
        Assert.All(logits, x => Assert.True(float.IsFinite(x), $"logit {x} is not finite"));
        Assert.True(logits.Max() - logits.Min() > 1e-3f, "the logits are flat: the random weights did not reach the head");
    }

    [Fact]
    public void A_tiny_checkpoint_and_its_current_layout_twin_give_bitwise_identical_logits()
    {
        var published = new TinyCheckpointSpec { Seed = 11 };
        var current = published with { Layout = CheckpointLayout.Current };

        Assert.Equal(SampleBits(Create(published)), SampleBits(Create(current)));
    }

    private static TinyCheckpointSpec Spec(string name) => name switch
    {
        "default" => new TinyCheckpointSpec(),
        "current-bf16-two-shards" => new TinyCheckpointSpec { Layout = CheckpointLayout.Current, DType = SafeTensorDType.BF16, Shards = 2 },
        "omit-default-config-fields" => new TinyCheckpointSpec { OmitDefaultConfigFields = true },
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

    /// <summary>Baseline and three variants of the sample image, as bit patterns.</summary>
    private static uint[][] SampleBits(string dir)
    {
        using var runtime = LlavaRuntime.Load(dir);
        using var image = runtime.Encode(SamplePixels(runtime));
        int[][] variants =
        [
            VisualVariant.Baseline(image.TokenCount),
            VisualVariant.Single(5, 1),
            VisualVariant.Window(20, image.Grid),
            VisualVariant.WindowCenterPadded(20, image.Grid),
        ];
        return ChelseaLogits.Bits(runtime.FirstTokenLogits(image, variants, padTokenId: 0));
    }
}
