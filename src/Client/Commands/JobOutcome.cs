using Mining.Grains.Contracts;
using Mining.Kernels.Pipeline;

namespace Mining.Client.Commands;

/// <summary>How a job followed to its end came out: its last status, the summary when it completed, and whether its codebook file was written.</summary>
internal sealed record JobOutcome(JobStatus Status, MiningSummary? Summary, bool CodebookWritten = false);
