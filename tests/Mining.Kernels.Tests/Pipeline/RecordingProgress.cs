using Mining.Kernels.Pipeline;
using Mining.Testing;

namespace Mining.Kernels.Tests.Pipeline;

/// <summary>Keeps every progress report, synchronously (unlike <see cref="Progress{T}"/>, which posts them).</summary>
public sealed class RecordingProgress : IProgress<MiningProgress>
{
    public List<MiningProgress> Reports { get; } = [];

    public void Report(MiningProgress value) => Reports.Add(value);
}
