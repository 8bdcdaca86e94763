using Mining.Kernels.Datasets;
using Mining.Kernels.Experiments;
using Mining.Kernels.Imaging;

namespace Mining.Grains.Execution;

/// <summary>One image for the executor to mine, with everything <c>ImageMiner</c> needs.</summary>
/// <param name="JobId">Job the image belongs to (the executor counts processed images per job).</param>
/// <param name="Model">Checkpoint directory; the executor loads each model once.</param>
/// <param name="Parameters">Validated mining parameters.</param>
/// <param name="Candidates">Reference candidate ranks or all tokens.</param>
/// <param name="Aspect">Crop or pad to square.</param>
/// <param name="Image">The image's id and path.</param>
public sealed record ImageMiningRequest(string JobId, string Model, MiningParameters Parameters, CandidateMode Candidates, ImageAspect Aspect, DatasetImage Image);
