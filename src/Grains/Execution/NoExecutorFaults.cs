namespace Mining.Grains.Execution;

/// <summary>The production <see cref="IExecutorFaults"/>: injects nothing.</summary>
public sealed class NoExecutorFaults : IExecutorFaults
{
    /// <inheritdoc />
    public void BeforeImage(ImageMiningRequest request)
    {
    }
}
