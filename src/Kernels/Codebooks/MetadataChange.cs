namespace Mining.Kernels.Codebooks;

/// <summary>A key-value metadata entry whose value differs between two codebooks (null: the key is absent).</summary>
/// <param name="Key">The <c>mining.*</c> key.</param>
/// <param name="Before">Its value in the first codebook.</param>
/// <param name="After">Its value in the second codebook.</param>
public sealed record MetadataChange(string Key, string? Before, string? After);
