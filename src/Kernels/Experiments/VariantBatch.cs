namespace Mining.Kernels.Experiments;

/// <summary>Collects an image's variants for one scorer call, storing each distinct variant once.</summary>
internal sealed class VariantBatch
{
    private readonly List<int[]> variants = [];
    private readonly Dictionary<int[], int> positions = new(SequenceComparer.Instance);

    public IReadOnlyList<int[]> Variants => variants;

    /// <summary>Adds <paramref name="variant"/> unless an equal one is already there; returns its position.</summary>
    public int Add(int[] variant)
    {
        if (!positions.TryGetValue(variant, out var position))
        {
            position = variants.Count;
            variants.Add(variant);
            positions.Add(variant, position);
        }

        return position;
    }

    private sealed class SequenceComparer : IEqualityComparer<int[]>
    {
        public static readonly SequenceComparer Instance = new();

        public bool Equals(int[]? x, int[]? y) => x is not null && y is not null && x.AsSpan().SequenceEqual(y);

        public int GetHashCode(int[] variant)
        {
            var hash = new HashCode();
            hash.AddBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(variant.AsSpan()));
            return hash.ToHashCode();
        }
    }
}
