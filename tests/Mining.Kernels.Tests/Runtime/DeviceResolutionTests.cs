using Mining.Kernels.Runtime;
using TorchSharp;

namespace Mining.Kernels.Tests.Runtime;

/// <summary><see cref="TorchRuntime.Resolve"/> refuses devices and dtypes this build or machine cannot give, saying what to use instead.</summary>
public sealed class DeviceResolutionTests
{
    [Fact]
    public void Cuda_without_a_cuda_backend_is_refused_with_advice_to_use_the_cpu()
    {
        TorchRuntime.EnsureLoaded();
        Assert.SkipWhen(torch.cuda.is_available(), "this machine has CUDA, so the request is legitimate");

        var e = Assert.Throws<TorchBackendException>(() => TorchRuntime.Resolve(new RuntimeOptions("cuda")));

        Assert.Contains("'cuda'", e.Message);
        Assert.Contains("CUDA is not available", e.Message);
        Assert.Contains("--device cpu", e.Message);
    }

    [Theory]
    [InlineData(ComputeDType.Float16)]
    [InlineData(ComputeDType.BFloat16)]
    public void Half_precision_on_the_cpu_is_refused_naming_the_dtype(ComputeDType dtype)
    {
        var e = Assert.Throws<TorchBackendException>(() => TorchRuntime.Resolve(new RuntimeOptions("cpu", dtype)));

        Assert.Contains($"dtype {dtype}", e.Message);
        Assert.Contains("CUDA only", e.Message);
        Assert.Contains("--dtype fp32", e.Message);
    }

    [Fact]
    public void An_unknown_device_is_refused_naming_it_and_the_accepted_ones()
    {
        var e = Assert.Throws<TorchBackendException>(() => TorchRuntime.Resolve(new RuntimeOptions("tpu")));

        Assert.Contains("unknown device 'tpu'", e.Message);
        Assert.Contains("cpu, cuda or cuda:N", e.Message);
    }
}
