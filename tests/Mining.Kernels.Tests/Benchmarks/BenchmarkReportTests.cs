using System.Text.Json;
using Mining.Benchmarks;

namespace Mining.Kernels.Tests.Benchmarks;

public sealed class BenchmarkReportTests
{
    private static readonly MachineInfo Machine = new(2, "TestOS 1.0", ".NET 10.0.0", "2.7.1", 2);

    [Fact]
    public void The_written_report_parses_and_holds_its_figures_in_order()
    {
        var file = Path.Combine(TestData.NewTempFolder(), "new", "deeper", "report.json");
        new BenchmarkReport("cpu throughput", Machine).Add("gemm_gflops", 81.25).Add("images_per_second", 0.5).Write(file);

        using var json = JsonDocument.Parse(File.ReadAllText(file));

        var figures = json.RootElement.GetProperty("figures").EnumerateObject().Select(p => (p.Name, p.Value.GetDouble())).ToList();
        Assert.Equal([("gemm_gflops", 81.25), ("images_per_second", 0.5)], figures);
        Assert.Equal("cpu throughput", json.RootElement.GetProperty("title").GetString());
    }

    [Fact]
    public void The_written_report_records_the_machine()
    {
        var file = Path.Combine(TestData.NewTempFolder(), "report.json");
        new BenchmarkReport("machine", Machine).Write(file);

        using var json = JsonDocument.Parse(File.ReadAllText(file));

        var machine = json.RootElement.GetProperty("machine");
        Assert.Equal(2, machine.GetProperty("processor_count").GetInt32());
        Assert.Equal("TestOS 1.0", machine.GetProperty("os").GetString());
        Assert.Equal(".NET 10.0.0", machine.GetProperty("dotnet").GetString());
        Assert.Equal("2.7.1", machine.GetProperty("torch").GetString());
        Assert.Equal(2, machine.GetProperty("torch_threads").GetInt32());
    }

    [Fact]
    public void The_report_is_indented()
    {
        var file = Path.Combine(TestData.NewTempFolder(), "report.json");
        new BenchmarkReport("layout", Machine).Add("x", 1).Write(file);

        Assert.Contains("\n  \"figures\": {", File.ReadAllText(file).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void The_current_machine_reports_its_processor_count_and_torch_version()
    {
        var machine = MachineInfo.Current();

        Assert.Equal(Environment.ProcessorCount, machine.ProcessorCount);
        Assert.Equal(TorchSharp.torch.__version__, machine.TorchVersion);
        Assert.True(machine.TorchThreads > 0);
    }

    [Fact]
    public void A_figure_named_twice_is_rejected_with_its_name()
    {
        var report = new BenchmarkReport("twice", Machine).Add("gemm_gflops", 1);

        var error = Assert.Throws<ArgumentException>(() => report.Add("gemm_gflops", 2));

        Assert.Contains("gemm_gflops", error.Message);
    }

    [Fact]
    public void A_figure_that_is_not_finite_is_rejected_with_its_name()
    {
        var report = new BenchmarkReport("nan", Machine);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => report.Add("gemm_gflops", double.NaN));

        Assert.Contains("gemm_gflops", error.Message);
    }
}
