namespace Mining.Kernels.Checkpoints;

/// <summary>A tensor a checkpoint must hold: canonical name and shape.</summary>
public sealed record ExpectedTensor(string Name, long[] Shape)
{
    /// <summary>The shape written as <c>[a, b]</c>.</summary>
    public string ShapeText => SafeTensorInfo.FormatShape(Shape);
}
