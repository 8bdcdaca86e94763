using static TorchSharp.torch;

namespace Mining.Kernels.Model;

/// <summary>
/// The keys (already rotated) and values one attention layer computed for a run of positions, each
/// [batch, kvHeads, length, headDim]; the positions are the first ones of the sequence they belong to.
/// </summary>
public sealed record LayerKeyValues(Tensor Keys, Tensor Values) : IDisposable
{
    /// <summary>Number of positions held.</summary>
    public long Length => Keys.shape[2];

    /// <summary>Views of the first <paramref name="length"/> positions (no copy); the caller owns the new handles.</summary>
    public LayerKeyValues Narrow(long length) => new(Keys.narrow(2, 0, length), Values.narrow(2, 0, length));

    /// <summary>Moves both tensors to the enclosing dispose scope.</summary>
    public LayerKeyValues MoveToOuterDisposeScope()
    {
        Keys.MoveToOuterDisposeScope();
        Values.MoveToOuterDisposeScope();
        return this;
    }

    /// <summary>Detaches both tensors from every dispose scope, so only <see cref="Dispose"/> releases them.</summary>
    public LayerKeyValues DetachFromDisposeScope()
    {
        Keys.DetachFromDisposeScope();
        Values.DetachFromDisposeScope();
        return this;
    }

    /// <summary>Releases both tensors.</summary>
    public void Dispose()
    {
        Keys.Dispose();
        Values.Dispose();
    }
}
