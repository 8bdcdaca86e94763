using System.Runtime.InteropServices;
using Mining.Kernels.Runtime;
using TorchSharp;

namespace Mining.Benchmarks;

/// <summary>The machine a benchmark ran on, so figures from different machines are not compared blindly.</summary>
/// <param name="ProcessorCount">Logical processors visible to the process.</param>
/// <param name="OsDescription">The operating system, as <see cref="RuntimeInformation.OSDescription"/> gives it.</param>
/// <param name="DotNetVersion">The .NET runtime, as <see cref="RuntimeInformation.FrameworkDescription"/> gives it.</param>
/// <param name="TorchVersion">The libtorch version TorchSharp loaded.</param>
/// <param name="TorchThreads">TorchSharp's intra-op CPU thread count.</param>
public sealed record MachineInfo(int ProcessorCount, string OsDescription, string DotNetVersion, string TorchVersion, int TorchThreads)
{
    /// <summary>Describes the current process's machine (loads TorchSharp's backend if needed).</summary>
    public static MachineInfo Current()
    {
        TorchRuntime.EnsureLoaded();
        return new MachineInfo(
            Environment.ProcessorCount,
            RuntimeInformation.OSDescription,
            RuntimeInformation.FrameworkDescription,
            torch.__version__,
            torch.get_num_threads());
    }
}
