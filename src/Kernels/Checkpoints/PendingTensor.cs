namespace Mining.Kernels.Checkpoints;

/// <summary>A tensor about to be written: canonical name, shape, and its values produced only when its turn comes.</summary>
public sealed record PendingTensor(string Name, long[] Shape, Func<float[]> Values);
