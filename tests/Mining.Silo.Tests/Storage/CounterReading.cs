namespace Mining.Silo.Tests.Storage;

/// <summary>What one activation of <see cref="CounterGrain"/> holds, and which activation it is.</summary>
[GenerateSerializer]
[Alias("Mining.Silo.Tests.CounterReading")]
public sealed record CounterReading(
    [property: Id(0)] Guid Activation,
    [property: Id(1)] int Count,
    [property: Id(2)] IReadOnlyList<string> Notes,
    [property: Id(3)] bool RecordExists,
    [property: Id(4)] string? ETag);
