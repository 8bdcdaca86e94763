using System.Text.Json;
using Mining.Benchmarks;
using Mining.Kernels.Experiments;
using Mining.Kernels.IO;
using Mining.Kernels.Model;

namespace Mining.Kernels.Tests.Benchmarks;

/// <summary>The mining benchmark on the fixture: both schedules score the same candidates, agree, and the JSON carries the figures. No timing is asserted.</summary>
public sealed class MineBenchmarkTests
{
    private static readonly MineBenchmarkOptions Options = new()
    {
        Candidates = CandidateMode.All,
        MaxCandidates = 5,
        Rounds = 1,
        BaselineRounds = 1,
        GemmSizes = [64],
    };

    [Fact]
    public void Both_schedules_score_the_same_candidates_and_agree_within_1e4()
    {
        var m = Measure();

        Assert.Equal(2, m.Images);
        Assert.Equal(10, m.Candidates);
        Assert.True(m.ScoresAgree, $"scores differ by {m.MaxScoreDifference}, logits by {m.MaxLogitDifference}");
        Assert.True(m.MaxLogitDifference <= 1e-4, $"logits differ by {m.MaxLogitDifference}");
        Assert.Equal(0, m.RedundancyFlagsDiffering);
    }

    [Fact]
    public void Both_schedules_agree_with_the_skip_rule_firing_on_the_skip_fixture()
    {
        var folder = Path.Combine(TestData.Root, "fixtures", "llava-tiny-skip-ref");
        using var runtime = LlavaRuntime.Load(Path.Combine(folder, "model"));
        float[][] pixels = [.. new[] { "camera", "chelsea" }.Select(name => NpyFile.Read(Path.Combine(folder, "arrays", $"{name}.pixel_values.npy")).ToFloat32())];

        var m = MineBenchmark.Measure(runtime, "skip-fixture", 1, pixels, Options with { Parameters = new MiningParameters { SkipLeadingTokens = ["\u2581A"] } });

        Assert.Equal("\u2581A", m.SkipLeadingTokens);
        Assert.True(m.EngineLeadSkips > 0, "the rule never fired");
        Assert.Equal(m.BaselineLeadSkips, m.EngineLeadSkips);
        Assert.True(m.EngineLeadSkipCalls >= 1 && m.EngineLeadSkipCalls <= m.EngineForwardCalls);
        Assert.True(m.EngineLeadSkipGflop > 0 && m.EngineLeadSkipGflop < m.EngineGflop);
        Assert.True(m.ScoresAgree, $"scores differ by {m.MaxScoreDifference}, logits by {m.MaxLogitDifference}");
        Assert.True(m.MaxLogitDifference <= 1e-4, $"logits differ by {m.MaxLogitDifference}");
        Assert.Equal(0, m.RedundancyFlagsDiffering);
    }

    [Fact]
    public void The_speedup_is_the_flop_ratio_times_the_throughput_ratio_and_the_reference_does_more_work()
    {
        var m = Measure();

        Assert.Equal(m.Speedup, m.FlopRatio * m.ThroughputRatio, 1e-9 * m.Speedup);
        Assert.Equal(m.BaselineGflop, m.BaselinePrefillGflop + m.BaselineHeadGflop + m.BaselineDecodeGflop + m.BaselineVisionGflop, 1e-9 * m.BaselineGflop);
        Assert.True(m.BaselineVisionGflop > m.EngineVisionGflop, "the reference encodes the image per variant, the engine once");
        Assert.True(m.PlainGflop > m.EngineGflop, $"plain {m.PlainGflop} GFLOP vs engine {m.EngineGflop}: the caches saved nothing");
        Assert.True(m.BaselineForwardCalls > m.EngineForwardCalls);
    }

    [Fact]
    public void The_json_holds_the_named_figures()
    {
        var file = Path.Combine(TestData.NewTempFolder(), "bench", "mine.json");

        Measure().Write(file);

        using var json = JsonDocument.Parse(File.ReadAllText(file));
        var root = json.RootElement;
        Assert.Equal("fixture", root.GetProperty("model").GetString());
        Assert.Equal(2, root.GetProperty("images").GetInt32());
        foreach (var name in new[] { "baseline_seconds", "engine_seconds", "speedup", "max_score_difference", "gemm_peak_gflops", "engine_gflops" })
        {
            Assert.True(root.GetProperty(name).GetDouble() >= 0, name);
        }

        Assert.True(root.GetProperty("machine").GetProperty("processor_count").GetInt32() >= 1);
    }

    private static MineMeasurement Measure()
    {
        using var runtime = LlavaRuntime.Load(TestData.FixtureModel);
        float[][] pixels = [NpyFile.Read(TestData.FixtureArray("chelsea.pixel_values.npy")).ToFloat32(), NpyFile.Read(TestData.FixtureArray("coffee84.pixel_values.npy")).ToFloat32()];
        // llava-tiny-ref was computed without the skip rule.
        return MineBenchmark.Measure(runtime, "fixture", 1, pixels, Options with { Parameters = new MiningParameters { SkipLeadingTokens = [] } });
    }
}
