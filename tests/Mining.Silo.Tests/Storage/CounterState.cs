namespace Mining.Silo.Tests.Storage;

/// <summary>The persisted state of <see cref="CounterGrain"/>.</summary>
[GenerateSerializer]
[Alias("Mining.Silo.Tests.CounterState")]
public sealed record CounterState
{
    /// <summary>How many increments were written.</summary>
    [Id(0)]
    public int Count { get; set; }

    /// <summary>The notes of the increments, oldest first.</summary>
    [Id(1)]
    public List<string> Notes { get; set; } = [];
}
