namespace Mining.Grains.Execution;

/// <summary>
/// A hook the executor calls on its device thread before mining each image, so tests can inject silo faults
/// (throw) or hold an image in hand (block). Production uses <see cref="NoExecutorFaults"/>.
/// </summary>
public interface IExecutorFaults
{
    /// <summary>Called before <paramref name="request"/> is mined; an exception fails this attempt as a silo fault would.</summary>
    void BeforeImage(ImageMiningRequest request);
}
