namespace Mining.Kernels.Codebooks;

/// <summary>One image's tokens that passed the per-image filter: the input of the pooled prototype clustering.</summary>
/// <param name="ImageId">The image's id (distinct images are counted by this id, ordinal).</param>
/// <param name="Embeddings">The kept tokens, row-major Count×hidden.</param>
/// <param name="Count">Number of kept tokens.</param>
public sealed record ImageKeptTokens(string ImageId, float[] Embeddings, int Count);
