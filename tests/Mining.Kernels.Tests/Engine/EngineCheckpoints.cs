using Mining.Benchmarks;
using Mining.Kernels.Checkpoints;
using Mining.Kernels.Imaging;
using Mining.Kernels.IO;
using Mining.Kernels.Model;

namespace Mining.Kernels.Tests.Engine;

/// <summary>
/// The fixture checkpoint (6×6 grid, 4 heads over 2 key/value heads) and a make-tiny one (8×8 grid, 8 heads over 2),
/// each loaded with the engine set to branch from a single shared token and to cut batches small, so every path of
/// the engine runs; each with an image and the plain path to compare against.
/// </summary>
public sealed class EngineCheckpoints : IDisposable
{
    /// <summary>A budget of a few short variants per call, so variants split over many padded batches.</summary>
    public const int SmallBudget = 600;

    /// <summary>Branch from one shared token on, so even windows on the second row branch.</summary>
    public static readonly EngineOptions EagerBranching = new(BranchMinimum: 1, CallCostTokens: 16);

    public static readonly TinyCheckpointSpec GqaSpec = new()
    {
        Seed = 31,
        Grid = 8,
        TextHidden = 64,
        TextLayers = 2,
        TextHeads = 8,
        TextKvHeads = 2,
        TextIntermediate = 96,
    };

    private readonly Dictionary<string, Checkpoint> checkpoints = [];

    public EngineCheckpoints()
    {
        var fixture = LlavaRuntime.Load(TestData.FixtureModel, maxBatchTokens: SmallBudget, engineOptions: EagerBranching);
        var fixturePixels = NpyFile.Read(TestData.FixtureArray("chelsea.pixel_values.npy")).ToFloat32();
        checkpoints["fixture"] = new Checkpoint(fixture, fixturePixels, fixture.Encode(fixturePixels));

        var directory = Path.Combine(TestData.NewTempFolder(), "gqa");
        TinyCheckpoint.Create(GqaSpec, directory);
        var tiny = LlavaRuntime.Load(directory, maxBatchTokens: SmallBudget, engineOptions: EagerBranching);
        var pixels = new ImagePreprocessor(tiny.Preprocessor).Preprocess(ImageDecoder.Decode(Path.Combine(TestData.Samples, "coffee.png"))).PixelValues;
        checkpoints["make-tiny-gqa"] = new Checkpoint(tiny, pixels, tiny.Encode(pixels));
    }

    public static TheoryData<string> Names => new("fixture", "make-tiny-gqa");

    public Checkpoint this[string name] => checkpoints[name];

    public void Dispose()
    {
        foreach (var checkpoint in checkpoints.Values)
        {
            checkpoint.Image.Dispose();
            checkpoint.Runtime.Dispose();
        }
    }

    /// <summary>A loaded runtime, one image (pixels and encoded), and the plain path: each variant alone, its whole prompt recomputed, no cache shared.</summary>
    public sealed record Checkpoint(LlavaRuntime Runtime, float[] Pixels, EncodedImage Image)
    {
        public float[][] PlainLogits(IReadOnlyList<int[]> variants, int padTokenId = 0) =>
            new ReferenceSchedule(Runtime, newTokens: 1).FirstTokenLogits(Pixels, variants, padTokenId);
    }
}
