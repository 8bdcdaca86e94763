using Mining.Kernels.Experiments;

namespace Mining.Benchmarks;

/// <summary>What <see cref="MineBenchmark"/> runs: the experiments' parameters, which candidates, and how many timed rounds.</summary>
public sealed record MineBenchmarkOptions
{
    /// <summary>The mining parameters (the pad token id and the top-k sizes matter here).</summary>
    public MiningParameters Parameters { get; init; } = new();

    /// <summary>Which similarity ranks are candidates.</summary>
    public CandidateMode Candidates { get; init; } = CandidateMode.Reference;

    /// <summary>At most this many candidates per image, spread evenly over the mode's list (0: all).</summary>
    public int MaxCandidates { get; init; }

    /// <summary>Timed rounds of the engine; the fastest counts.</summary>
    public int Rounds { get; init; } = 3;

    /// <summary>Timed rounds of the reference schedule; the fastest counts.</summary>
    public int BaselineRounds { get; init; } = 1;

    /// <summary>Tokens the reference schedule generates per variant.</summary>
    public int NewTokens { get; init; } = ReferenceSchedule.DefaultNewTokens;

    /// <summary>Square sizes of the fp32 products that measure the GEMM peak (the best rate counts).</summary>
    public IReadOnlyList<int> GemmSizes { get; init; } = [1024, 2048];

    /// <summary>Largest score or logit difference between the two schedules that still counts as equal (fp32).</summary>
    public double Tolerance { get; init; } = 1e-4;

    /// <summary>Throws when a value is out of range, naming it.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Parameters, nameof(Parameters));
        Parameters.Validate();
        ArgumentOutOfRangeException.ThrowIfNegative(MaxCandidates, nameof(MaxCandidates));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Rounds, nameof(Rounds));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(BaselineRounds, nameof(BaselineRounds));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(NewTokens, nameof(NewTokens));
        ArgumentOutOfRangeException.ThrowIfNegative(Tolerance, nameof(Tolerance));
        if (GemmSizes is null || GemmSizes.Count == 0 || GemmSizes.Any(size => size < 1))
        {
            throw new ArgumentException("GemmSizes must list at least one positive size", nameof(GemmSizes));
        }
    }
}
