using Mining.Probe.Codebooks;

namespace Mining.Kernels.Codebooks;

/// <summary>A prototype present in both codebooks (the same embedding, bit for bit) whose other columns differ.</summary>
/// <param name="Before">Its row in the first codebook.</param>
/// <param name="After">Its row in the second codebook.</param>
public sealed record PrototypeChange(CodebookEntry Before, CodebookEntry After);
