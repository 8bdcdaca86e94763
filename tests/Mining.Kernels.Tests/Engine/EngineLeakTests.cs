using Mining.Kernels.Experiments;
using Mining.Kernels.IO;
using Mining.Kernels.Model;
using TorchSharp;

namespace Mining.Kernels.Tests.Engine;

/// <summary>
/// Scoring releases every tensor it makes, trunk caches and their narrowed views included: after the one-time caches
/// (prefix keys and values, pad embeddings) exist, TorchSharp's per-thread live count must not move however many calls
/// run (the pattern of Runtime/TensorLeakTests).
/// </summary>
public sealed class EngineLeakTests(ITestOutputHelper output)
{
    private const int Iterations = 60;

    [Fact]
    public void Calls_with_trunks_branches_and_two_images_leave_the_live_tensor_count_where_warm_up_left_it()
    {
        using var runtime = LlavaRuntime.Load(TestData.FixtureModel, maxBatchTokens: EngineCheckpoints.SmallBudget, engineOptions: EngineCheckpoints.EagerBranching);
        using var chelsea = runtime.Encode(NpyFile.Read(TestData.FixtureArray("chelsea.pixel_values.npy")).ToFloat32());
        using var camera = runtime.Encode(NpyFile.Read(TestData.FixtureArray("camera.pixel_values.npy")).ToFloat32());
        var statistics = DisposeScopeManager.Statistics;

        Iterate(runtime, chelsea, camera, 0); // warm-up: fills the pad embeddings of both ids
        Iterate(runtime, chelsea, camera, 1);
        var afterWarmUp = statistics.ThreadTotalLiveCount;
        var createdBefore = statistics.CreatedInScopeCount + statistics.CreatedOutsideScopeCount;
        var callsBefore = runtime.ForwardCalls;
        for (var i = 0; i < Iterations; i++)
        {
            Iterate(runtime, chelsea, camera, i);
        }

        var afterAll = statistics.ThreadTotalLiveCount;
        var created = statistics.CreatedInScopeCount + statistics.CreatedOutsideScopeCount - createdBefore;
        output.WriteLine($"live tensors after warm-up {afterWarmUp}, after {Iterations} iterations {afterAll}; {created} created; {runtime.ForwardCalls - callsBefore} forward calls");
        Assert.True(created > Iterations, $"only {created} tensors were counted");
        Assert.Equal(afterWarmUp, afterAll);
    }

    /// <summary>One call over both images: each gets a baseline and global variants (a trunk and branches) plus short variants.</summary>
    private static void Iterate(LlavaRuntime runtime, EncodedImage first, EncodedImage second, int iteration)
    {
        VariantRequest Request(EncodedImage image, int padTokenId)
        {
            var token = (iteration * 7) % image.TokenCount;
            int[][] variants =
            [
                VisualVariant.Baseline(image.TokenCount),
                VisualVariant.GlobalWindowPadded(token, image.Grid),
                VisualVariant.GlobalWindowPadded(image.TokenCount - 1 - token, image.Grid),
                VisualVariant.Single(token, 1 + iteration % 3),
                VisualVariant.Window(token, image.Grid),
                VisualVariant.WindowCenterPadded(token, image.Grid),
            ];
            return new VariantRequest(image, variants, padTokenId);
        }

        var plan = runtime.Plan([Request(first, 0), Request(second, 5)]);
        Assert.NotEmpty(plan.Trunks);
        var logits = runtime.FirstTokenLogits([Request(first, 0), Request(second, 5)]);
        Assert.Equal(2, logits.Length);
    }
}
