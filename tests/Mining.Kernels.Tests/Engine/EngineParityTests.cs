using Mining.Kernels.Experiments;
using Mining.Kernels.Model;

namespace Mining.Kernels.Tests.Engine;

/// <summary>
/// The engine (prefix cache, trunk branching, packed batches, last positions only) gives the logits of the plain path
/// — each variant alone, whole prompt recomputed — within the fixture README's 1e-4, on the fixture and on a make-tiny
/// checkpoint with grouped-query attention.
/// </summary>
public sealed class EngineParityTests(EngineCheckpoints checkpoints, ITestOutputHelper output) : IClassFixture<EngineCheckpoints>
{
    private const double Tolerance = 1e-4;

    public static TheoryData<string, string> CheckpointsAndKinds
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var name in new[] { "fixture", "make-tiny-gqa" })
            {
                foreach (var kind in new[] { "baseline", "single", "window", "window-centre-padded", "global" })
                {
                    data.Add(name, kind);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(CheckpointsAndKinds))]
    public void Every_variant_of_a_kind_equals_the_plain_full_recompute(string name, string kind)
    {
        var checkpoint = checkpoints[name];
        var image = checkpoint.Image;
        var tokens = Enumerable.Range(0, image.TokenCount);
        int[][] variants = kind switch
        {
            "baseline" => [VisualVariant.Baseline(image.TokenCount)],
            "single" => tokens.Select(t => VisualVariant.Single(t, 1)).ToArray(),
            "window" => tokens.Select(t => VisualVariant.Window(t, image.Grid)).ToArray(),
            "window-centre-padded" => tokens.Select(t => VisualVariant.WindowCenterPadded(t, image.Grid)).ToArray(),
            // With the baseline, as the experiments send them: it is the trunk the global variants branch from.
            "global" => [VisualVariant.Baseline(image.TokenCount), .. tokens.Select(t => VisualVariant.GlobalWindowPadded(t, image.Grid))],
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown variant kind"),
        };

        var engine = checkpoint.Runtime.FirstTokenLogits(image, variants, padTokenId: 0);
        var plain = checkpoint.PlainLogits(variants);

        var max = LogitDifference.Max(plain, engine);
        output.WriteLine($"{name} {kind}: {variants.Length} variants, max |engine − plain| = {max:E2}");
        Assert.True(max <= Tolerance, $"{kind} variants differ from the plain path by {max}");
    }

    [Theory]
    [MemberData(nameof(EngineCheckpoints.Names), MemberType = typeof(EngineCheckpoints))]
    public void Global_variants_branch_from_the_baseline_trunk(string name)
    {
        var image = checkpoints[name].Image;
        int[][] variants = [VisualVariant.Baseline(image.TokenCount), .. Enumerable.Range(0, image.TokenCount).Select(t => VisualVariant.GlobalWindowPadded(t, image.Grid))];

        var plan = checkpoints[name].Runtime.Plan([new VariantRequest(image, variants, 0)]);

        var trunk = Assert.Single(plan.Trunks);
        Assert.Equal(image.TokenCount, trunk.Tokens);
        Assert.Equal(0, trunk.Variant);
        // Only the windows that start at token 0 cannot branch (m = 0): those of tokens 0, 1, grid and grid + 1.
        Assert.Equal(variants.Length - 1 - 4, trunk.Branches.Sum(b => b.Members.Count));
    }

    [Theory]
    [MemberData(nameof(EngineCheckpoints.Names), MemberType = typeof(EngineCheckpoints))]
    public void Global_windows_at_the_first_and_last_grid_positions_equal_the_plain_path(string name)
    {
        var checkpoint = checkpoints[name];
        var image = checkpoint.Image;
        var (grid, last) = (image.Grid, image.TokenCount - 1);
        // Token 0's window starts at index 0 (nothing to share), token grid + 2's at 1 (the least that branches),
        // grid − 1's at grid − 3 (end of the first row); the last token's at (grid − 3)·(grid + 1), the deepest.
        int[] tokens = [0, grid + 2, grid - 1, last - grid - 3, last];
        int[][] variants = [VisualVariant.Baseline(image.TokenCount), .. tokens.Select(t => VisualVariant.GlobalWindowPadded(t, grid))];

        var plan = checkpoint.Runtime.Plan([new VariantRequest(image, variants, 0)]);
        var engine = checkpoint.Runtime.FirstTokenLogits(image, variants, padTokenId: 0);
        var plain = checkpoint.PlainLogits(variants);

        var shared = Assert.Single(plan.Trunks).Branches.SelectMany(b => b.Members.Select(m => ScoringPlanner.IdentityPrefix(variants[m.Variant]))).ToArray();
        Assert.Contains((grid - 3) * (grid + 1), shared); // the last window branches from the deepest point
        Assert.Contains(plan.Packed.SelectMany(b => b.Members), m => ScoringPlanner.IdentityPrefix(variants[m.Variant]) == 0); // m = 0 runs from the prefix cache
        var max = LogitDifference.Max(plain, engine);
        output.WriteLine($"{name}: border windows, max |engine − plain| = {max:E2}");
        Assert.True(max <= Tolerance, $"border global variants differ from the plain path by {max}");
    }

    [Theory]
    [MemberData(nameof(EngineCheckpoints.Names), MemberType = typeof(EngineCheckpoints))]
    public void Batches_of_mixed_lengths_with_padding_equal_the_plain_path(string name)
    {
        var checkpoint = checkpoints[name];
        var image = checkpoint.Image;
        var random = new Random(17);
        // Every length from 1 to N, with pads and partial runs of the image's leading tokens mixed in.
        var variants = Enumerable.Range(1, image.TokenCount).Select(length =>
        {
            var variant = new int[length];
            for (var j = 0; j < length; j++)
            {
                variant[j] = random.Next(4) switch
                {
                    0 => VisualVariant.Pad,
                    1 => j,
                    _ => random.Next(image.TokenCount),
                };
            }

            return variant;
        }).ToArray();

        var plan = checkpoint.Runtime.Plan([new VariantRequest(image, variants, 5)]);
        var engine = checkpoint.Runtime.FirstTokenLogits(image, variants, padTokenId: 5);
        var plain = checkpoint.PlainLogits(variants, padTokenId: 5);

        var padded = plan.Packed.Where(b => b.Members.Select(m => variants[m.Variant].Length).Distinct().Count() > 1).ToArray();
        Assert.True(padded.Length >= 2, $"only {padded.Length} batches mix lengths");
        var max = LogitDifference.Max(plain, engine);
        output.WriteLine($"{name}: {plan.Packed.Count} packed batches, {padded.Length} of them padded; max |engine − plain| = {max:E2}");
        Assert.True(max <= Tolerance, $"mixed-length variants differ from the plain path by {max}");
    }

    [Fact]
    public void Variants_of_two_images_in_one_call_equal_each_image_scored_alone()
    {
        var checkpoint = checkpoints["fixture"];
        var runtime = checkpoint.Runtime;
        using var other = runtime.Encode(Mining.Kernels.IO.NpyFile.Read(TestData.FixtureArray("camera.pixel_values.npy")).ToFloat32());
        int[][] Variants(EncodedImage image) =>
        [
            VisualVariant.Baseline(image.TokenCount),
            VisualVariant.Single(4, 1),
            VisualVariant.Window(20, image.Grid),
            VisualVariant.WindowCenterPadded(20, image.Grid),
            VisualVariant.GlobalWindowPadded(20, image.Grid),
            VisualVariant.GlobalWindowPadded(35, image.Grid),
        ];
        VariantRequest[] requests = [new(checkpoint.Image, Variants(checkpoint.Image), 0), new(other, Variants(other), 5)];

        var plan = runtime.Plan(requests);
        var together = runtime.FirstTokenLogits(requests);
        var alone = requests.Select(r => runtime.FirstTokenLogits(r.Image, r.Variants, r.PadTokenId)).ToArray();

        Assert.Contains(plan.Packed, b => b.Members.Select(m => m.Request).Distinct().Count() == 2);
        Assert.Equal(2, plan.Trunks.Count);
        for (var r = 0; r < requests.Length; r++)
        {
            var max = LogitDifference.Max(alone[r], together[r]);
            Assert.True(max <= 1e-5, $"image {r}: together vs alone differ by {max}");
        }
    }
}
