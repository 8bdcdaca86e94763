namespace Mining.Kernels.Clustering;

/// <summary>
/// For every point, the <see cref="Capacity"/> other points with the smallest distance estimates, sorted by estimate,
/// with their exact squared distances filled in on demand.
/// </summary>
/// <remarks>
/// A point offered and not kept, or pushed out later, had an estimate no smaller than every estimate kept at the end,
/// so the last kept estimate bounds everything left out. Which of several equal estimates is kept does not matter:
/// callers only use that bound and exact distances.
/// Each row must be written by one thread at a time; rows are independent.
/// </remarks>
internal sealed class NearestCandidates
{
    private readonly double[] estimates;
    private readonly int[] indices;
    private readonly double[] exact;
    private readonly int[] counts;

    /// <summary>Empty lists of up to <paramref name="capacity"/> candidates for <paramref name="count"/> points.</summary>
    public NearestCandidates(int count, int capacity)
    {
        Capacity = capacity;
        estimates = new double[(long)count * capacity];
        indices = new int[(long)count * capacity];
        exact = new double[(long)count * capacity];
        counts = new int[count];
        Array.Fill(exact, double.NaN);
    }

    /// <summary>How many candidates each point keeps.</summary>
    public int Capacity { get; }

    /// <summary>How many candidates point <paramref name="row"/> holds.</summary>
    public int Count(int row) => counts[row];

    /// <summary>The estimate a new candidate must beat to be kept (+∞ while the list has room, −∞ if it has none).</summary>
    public double Threshold(int row) =>
        Capacity == 0 ? double.NegativeInfinity
        : counts[row] < Capacity ? double.PositiveInfinity
        : estimates[((long)row * Capacity) + Capacity - 1];

    /// <summary>Candidate <paramref name="slot"/>'s estimate (slots ascend by estimate).</summary>
    public double Estimate(int row, int slot) => estimates[((long)row * Capacity) + slot];

    /// <summary>Candidate <paramref name="slot"/>'s point index.</summary>
    public int Index(int row, int slot) => indices[((long)row * Capacity) + slot];

    /// <summary>Keeps <paramref name="column"/> if its estimate is below <see cref="Threshold"/>, dropping the largest when full.</summary>
    public void Offer(int row, int column, double estimate)
    {
        var start = (long)row * Capacity;
        var filled = counts[row];
        if (filled == Capacity)
        {
            if (estimate >= Threshold(row))
            {
                return;
            }

            filled--;
        }
        else
        {
            counts[row] = filled + 1;
        }

        var slot = start + filled;
        while (slot > start && estimates[slot - 1] > estimate)
        {
            estimates[slot] = estimates[slot - 1];
            indices[slot] = indices[slot - 1];
            slot--;
        }

        estimates[slot] = estimate;
        indices[slot] = column;
    }

    /// <summary>The exact squared distance to candidate <paramref name="slot"/>, computed once by <paramref name="compute"/>.</summary>
    public double Exact(int row, int slot, Func<int, int, double> compute)
    {
        var at = ((long)row * Capacity) + slot;
        if (double.IsNaN(exact[at]))
        {
            exact[at] = compute(row, indices[at]);
        }

        return exact[at];
    }
}
