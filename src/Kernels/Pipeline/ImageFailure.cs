namespace Mining.Kernels.Pipeline;

/// <summary>An image that could not be mined and why.</summary>
public sealed record ImageFailure(string ImageId, string Reason);
