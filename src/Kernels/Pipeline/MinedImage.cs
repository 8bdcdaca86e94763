using Mining.Kernels.Experiments;

namespace Mining.Kernels.Pipeline;

/// <summary>
/// One image's durable result plus what the run keeps in memory only: the candidates' embeddings (row-major,
/// candidate order), the baseline's first-token logits (empty for a failed image) and the number of variants scored.
/// </summary>
public sealed record MinedImage(ImageResult Result, float[] CandidateEmbeddings, float[] BaselineLogits, long VariantsScored);
