namespace Mining.Kernels.Experiments;

/// <summary>The logits a variant is measured by, and whether they are one position after a skipped leading token.</summary>
/// <param name="Logits">Length = vocabulary.</param>
/// <param name="LeadSkipped">The first-position argmax was a skip token, so these are the next position's logits with it appended.</param>
public sealed record MeasuredLogits(float[] Logits, bool LeadSkipped);
