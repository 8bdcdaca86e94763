using System.Text.Json;

namespace Mining.Client.Tests.Commands;

/// <summary><c>mining bench probe</c> on a small input: its figures file holds the latencies and the fraction of the GEMM peak.</summary>
public sealed class BenchProbeTests
{
    [Fact]
    public void Bench_probe_writes_latencies_and_the_fraction_of_the_measured_gemm_peak()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "probe.json");
        var run = CliProcess.Run("bench", "probe", "--tokens", "96", "--prototypes", "40", "--dim", "256", "--rounds", "2", "--out", path);

        Assert.True(run.ExitCode == 0, run.Describe());
        using var report = JsonDocument.Parse(File.ReadAllText(path));
        var figures = report.RootElement.GetProperty("figures");
        Assert.Equal("probe", report.RootElement.GetProperty("title").GetString());
        Assert.Equal(96, figures.GetProperty("tokens").GetInt32());
        Assert.Equal(2.0 * 96 * 40 * 256 / 1e9, figures.GetProperty("gflop").GetDouble(), 12);
        var gemm = figures.GetProperty("gemm_gflops").GetDouble();
        var gflops = figures.GetProperty("float32_gflops").GetDouble();
        Assert.True(gemm > 0 && gflops > 0, run.Stdout);
        Assert.Equal(gflops / gemm, figures.GetProperty("float32_fraction_of_gemm_peak").GetDouble(), 9);
        Assert.True(figures.GetProperty("float16_best_ms").GetDouble() > 0);
    }
}
