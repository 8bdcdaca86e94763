using Mining.Kernels.Experiments;
using Mining.Kernels.IO;
using Mining.Kernels.Model;
using Mining.Kernels.Tests.Experiments;
using Mining.Kernels.Text;
using TorchSharp;

namespace Mining.Kernels.Tests.Runtime;

/// <summary>
/// Forward passes release every tensor they make: TorchSharp counts, per thread, tensors created minus tensors
/// disposed (<c>DisposeScopeManager.Statistics.ThreadTotalLiveCount</c>, exact in TorchSharp 0.107), so after the
/// one-time caches are filled the count must not move however many forwards run.
/// </summary>
public sealed class TensorLeakTests(ITestOutputHelper output)
{
    private const int Iterations = 300;
    private const int EncodeEvery = 10;
    private static readonly int[] PadTokenIds = [0, 5];

    [Fact]
    public void Three_hundred_forwards_and_encodes_leave_the_live_tensor_count_where_warm_up_left_it()
    {
        using var runtime = LoadWithSmallBatches();
        var pixels = NpyFile.Read(TestData.FixtureArray("chelsea.pixel_values.npy")).ToFloat32();
        using var image = runtime.Encode(pixels);
        var statistics = DisposeScopeManager.Statistics;

        Iterate(runtime, image, pixels, 0); // warm-up: fills the cached pad embeddings, the only tensors meant to outlive a call
        Iterate(runtime, image, pixels, 1);
        var afterWarmUp = statistics.ThreadTotalLiveCount;
        var createdAfterWarmUp = statistics.CreatedInScopeCount + statistics.CreatedOutsideScopeCount;
        long afterHundred = 0;
        for (var i = 0; i < Iterations; i++)
        {
            Iterate(runtime, image, pixels, i);
            if (i == 99)
            {
                afterHundred = statistics.ThreadTotalLiveCount;
            }
        }

        var afterAll = statistics.ThreadTotalLiveCount;
        var created = statistics.CreatedInScopeCount + statistics.CreatedOutsideScopeCount - createdAfterWarmUp;
        output.WriteLine($"live tensors: after warm-up {afterWarmUp}, after 100 iterations {afterHundred}, after {Iterations} {afterAll}; {created} tensors created in the loop; {runtime.ForwardCalls} forward calls");
        // The probe must have seen the loop's tensors, and the variants must have run in several padded batches, or a flat count would prove little.
        Assert.True(created > Iterations, $"only {created} tensors were counted during {Iterations} iterations");
        Assert.True(runtime.ForwardCalls >= 2 * Iterations, $"{runtime.ForwardCalls} forward calls: the variants did not split into batches");
        Assert.Equal(afterWarmUp, afterHundred);
        Assert.Equal(afterWarmUp, afterAll);
    }

    /// <summary>The fixture with a token budget of two full-image prompts per batch, so the five variants of an iteration run as three batches, two of them padded.</summary>
    private static LlavaRuntime LoadWithSmallBatches()
    {
        var prompt = PromptBuilder.Build(LlamaTextTokenizer.Load(TestData.FixtureModel), PromptTemplate.Llava15);
        var fullImagePrompt = prompt.PrefixIds.Length + prompt.SuffixIds.Length + ExpectedExperiments.Fixture.Grid * ExpectedExperiments.Fixture.Grid;
        return LlavaRuntime.Load(TestData.FixtureModel, maxBatchTokens: 2 * fullImagePrompt);
    }

    /// <summary>One iteration: five variants of mixed lengths around a moving token, and every tenth time an encode of its own.</summary>
    private static void Iterate(LlavaRuntime runtime, EncodedImage image, float[] pixels, int iteration)
    {
        if (iteration % EncodeEvery == 0)
        {
            using var fresh = runtime.Encode(pixels);
            Assert.Equal(image.TokenCount, fresh.TokenCount);
        }

        var token = iteration % image.TokenCount;
        int[][] variants =
        [
            VisualVariant.Single(token, 1 + iteration % 3),
            VisualVariant.Window(token, image.Grid),
            VisualVariant.WindowCenterPadded(token, image.Grid),
            VisualVariant.GlobalWindowPadded(token, image.Grid),
            VisualVariant.Baseline(image.TokenCount),
        ];
        var logits = runtime.FirstTokenLogits(image, variants, PadTokenIds[iteration % PadTokenIds.Length]);
        Assert.Equal(variants.Length, logits.Length);
    }
}
