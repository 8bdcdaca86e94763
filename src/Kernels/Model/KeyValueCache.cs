namespace Mining.Kernels.Model;

/// <summary>
/// The keys and values of every decoder layer for the first <see cref="Length"/> positions of a sequence, so a later
/// forward can start at position <see cref="Length"/> instead of recomputing them (HF's <c>past_key_values</c>).
/// A cache of batch size 1 is shared by every sequence of a batch. Owns its tensors.
/// </summary>
public sealed class KeyValueCache : IDisposable
{
    private readonly LayerKeyValues[] layers;

    /// <summary>Takes ownership of one <see cref="LayerKeyValues"/> per layer, all of the same length; they leave every dispose scope.</summary>
    public KeyValueCache(IReadOnlyList<LayerKeyValues> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0)
        {
            throw new ArgumentException("a key/value cache needs at least one layer", nameof(layers));
        }

        var length = layers[0].Length;
        if (layers.Any(layer => layer.Length != length || layer.Values.shape[2] != length))
        {
            throw new ArgumentException($"every layer of a key/value cache must hold {length} positions like layer 0", nameof(layers));
        }

        this.layers = layers.Select(layer => layer.DetachFromDisposeScope()).ToArray();
        Length = length;
    }

    /// <summary>Positions held (the next position to compute).</summary>
    public long Length { get; }

    /// <summary>The cached keys and values, per decoder layer.</summary>
    public IReadOnlyList<LayerKeyValues> Layers => layers;

    /// <summary>A cache of the first <paramref name="length"/> positions viewing this one's memory; dispose it before this one.</summary>
    public KeyValueCache Narrow(long length)
    {
        if (length < 1 || length > Length)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, $"a narrowed cache holds 1..{Length} positions");
        }

        return new KeyValueCache(layers.Select(layer => layer.Narrow(length)).ToArray());
    }

    /// <summary>Releases every layer's tensors.</summary>
    public void Dispose()
    {
        foreach (var layer in layers)
        {
            layer.Dispose();
        }
    }
}
