using Mining.Grains.Contracts;
using Mining.Kernels.Pipeline;

namespace Mining.Client.Commands;

/// <summary>How a job followed to its end came out: its last status, and the summary when it completed.</summary>
internal sealed record JobOutcome(JobStatus Status, MiningSummary? Summary);
