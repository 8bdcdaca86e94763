namespace Mining.Kernels.Checkpoints;

/// <summary>A tiny seeded generator (Steele, Lea &amp; Flood's SplitMix64) whose output is the same on every machine and runtime.</summary>
internal struct SplitMix64(ulong seed)
{
    private ulong state = seed;

    public ulong Next()
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextUniform() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>
    /// Approximately standard normal: the sum of twelve uniforms minus six (Irwin–Hall; mean 0, variance 1). Unlike
    /// Box–Muller it needs no log or cos, whose last bits may differ between platforms, so files stay byte-identical.
    /// </summary>
    public double NextNormal()
    {
        var sum = 0.0;
        for (var i = 0; i < 12; i++)
        {
            sum += NextUniform();
        }

        return sum - 6.0;
    }

    /// <summary>A seed for one tensor from the checkpoint seed and the tensor's name (FNV-1a), so values do not depend on write order.</summary>
    public static ulong SeedFor(int seed, string name)
    {
        var hash = 0xCBF29CE484222325UL;
        foreach (var c in name)
        {
            hash = (hash ^ c) * 0x100000001B3UL;
        }

        return hash ^ ((ulong)(uint)seed * 0x9E3779B97F4A7C15UL);
    }
}
