using TorchSharp;

namespace Mining.Kernels.Runtime;

/// <summary>Loads TorchSharp's native backend and resolves <see cref="RuntimeOptions"/> into a device and dtype, failing with a clear message.</summary>
public static class TorchRuntime
{
    private static readonly Lock Gate = new();
    private static bool loaded;

    /// <summary>Loads the native backend once; throws <see cref="TorchBackendException"/> (not a crash) when it cannot.</summary>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (loaded)
            {
                return;
            }

            try
            {
                torch.InitializeDeviceType(DeviceType.CPU);
                _ = torch.__version__;
            }
            catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or NotSupportedException or InvalidOperationException or EntryPointNotFoundException or BadImageFormatException)
            {
                var root = e;
                while (root.InnerException is not null)
                {
                    root = root.InnerException;
                }

                throw new TorchBackendException(
                    "TorchSharp's native backend (libLibTorchSharp.so and libtorch) could not be loaded: " + root.Message +
                    " Rebuild with './mining' or 'dotnet build' so the build output carries the native libraries" +
                    " (on hosts whose libstdc++ lacks GLIBCXX_3.4.32 the build patches its copy), and check that the" +
                    " TorchBackend build switch (cpu or cuda) matches this machine.",
                    e);
            }

            loaded = true;
        }
    }

    /// <summary>Applies the thread count and returns the torch device and dtype for <paramref name="options"/>.</summary>
    public static (torch.Device Device, torch.ScalarType DType) Resolve(RuntimeOptions options)
    {
        EnsureLoaded();
        if (options.Threads < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"threads must be 0 (default) or positive, got {options.Threads}");
        }

        if (options.Threads > 0)
        {
            torch.set_num_threads(options.Threads);
        }

        var name = options.Device.Trim().ToLowerInvariant();
        torch.Device device;
        if (name == "cpu")
        {
            device = torch.CPU;
        }
        else if (name == "cuda" || name.StartsWith("cuda:", StringComparison.Ordinal))
        {
            bool available;
            try
            {
                available = torch.cuda.is_available();
            }
            catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or InvalidOperationException)
            {
                available = false;
            }

            if (!available)
            {
                throw new TorchBackendException(
                    $"device '{options.Device}' was requested but CUDA is not available: this build uses the TorchSharp " +
                    "CPU backend or no CUDA device is visible. Build GPU silos with -p:TorchBackend=cuda on a machine with an NVIDIA driver, or use --device cpu.");
            }

            device = torch.device(name);
        }
        else
        {
            throw new TorchBackendException($"unknown device '{options.Device}': use cpu, cuda or cuda:N");
        }

        var dtype = options.DType switch
        {
            ComputeDType.Float32 => torch.ScalarType.Float32,
            ComputeDType.Float16 => torch.ScalarType.Float16,
            ComputeDType.BFloat16 => torch.ScalarType.BFloat16,
            _ => throw new ArgumentOutOfRangeException(nameof(options)),
        };
        if (device.type == DeviceType.CPU && dtype != torch.ScalarType.Float32)
        {
            throw new TorchBackendException(
                $"dtype {options.DType} is for CUDA only: on CPU, half-precision weights are computed in float32 (use --dtype fp32 or --device cuda)");
        }

        return (device, dtype);
    }
}
