namespace Mining.Silo.Api;

/// <summary>An image of a job that failed, and why.</summary>
/// <param name="Shard">The shard it belongs to.</param>
/// <param name="ImageId">The image's id in the dataset.</param>
/// <param name="Reason">Why it failed (e.g. it could not be decoded).</param>
public sealed record ImageFailureView(int Shard, string ImageId, string Reason);
