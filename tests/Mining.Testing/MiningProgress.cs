using Mining.Kernels.Pipeline;

namespace Mining.Testing;

/// <summary>Progress of a mining run after each image, with that image's outcome and how long it took.</summary>
public sealed record MiningProgress(int Done, int Total, int Failed, MinedImage Last, TimeSpan ImageTime, TimeSpan Elapsed);
