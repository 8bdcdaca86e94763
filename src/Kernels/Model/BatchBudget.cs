using Mining.Kernels.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace Mining.Kernels.Model;

/// <summary>The token budget of one forward call (batch × padded new positions), chosen from the memory the device has free.</summary>
public static class BatchBudget
{
    /// <summary>The smallest budget chosen: below it CPU and GPU matrix products lose much of their speed.</summary>
    public const int Minimum = 512;

    /// <summary>The largest budget chosen: beyond it the products are no faster and latency only grows.</summary>
    public const int Maximum = 16384;

    /// <summary>The share of free memory one call's activations may take (weights are already resident).</summary>
    public const double MemoryShare = 0.25;

    /// <summary>
    /// TorchSharp 0.107 has no CUDA memory query; a GPU is assumed to have this much free after the weights, which
    /// any GPU able to hold LLaVA-1.5-7B in half precision has.
    /// </summary>
    public const long AssumedFreeGpuBytes = 8L << 30;

    /// <summary>
    /// Tokens that fit <see cref="MemoryShare"/> of <paramref name="freeBytes"/>: one layer is alive at a time, and per
    /// new position it holds about eight hidden-size activations (input, norm, q, attention output, residuals), four
    /// intermediate-size ones (gate, up, activation, product), keys and values expanded to all heads, and one float mask
    /// row as long as <paramref name="longestSequence"/>. Clamped to [<see cref="Minimum"/>, <see cref="Maximum"/>].
    /// </summary>
    public static int FromMemory(TextConfig text, int longestSequence, long freeBytes, int elementBytes)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegative(freeBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(elementBytes);
        long attentionWidth = text.NumAttentionHeads * text.HeadDim;
        var bytesPerToken = (elementBytes * ((8L * text.HiddenSize) + (4L * text.IntermediateSize) + (4 * attentionWidth))) + (4L * longestSequence);
        var tokens = MemoryShare * freeBytes / bytesPerToken;
        return (int)Math.Clamp(tokens, Minimum, Maximum);
    }

    /// <summary>Free memory of <paramref name="device"/>: for the CPU, Linux's MemAvailable (else what the GC may use); for CUDA, <see cref="AssumedFreeGpuBytes"/>.</summary>
    public static long FreeBytes(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (device.type == DeviceType.CUDA)
        {
            return AssumedFreeGpuBytes;
        }

        const string meminfo = "/proc/meminfo";
        if (File.Exists(meminfo))
        {
            foreach (var line in File.ReadLines(meminfo))
            {
                // "MemAvailable:   22987600 kB"
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length == 3 && parts[0] == "MemAvailable:" && long.TryParse(parts[1], out var kilobytes))
                {
                    return kilobytes * 1024;
                }
            }
        }

        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }
}
