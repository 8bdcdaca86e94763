namespace Mining.Silo.Tests.Storage;

/// <summary>A tiny grain whose count is persisted by the silo's default grain storage.</summary>
[Alias("Mining.Silo.Tests.ICounterGrain")]
public interface ICounterGrain : IGrainWithStringKey
{
    /// <summary>Adds one, records <paramref name="note"/> and writes the state.</summary>
    [Alias("Increment")]
    Task Increment(string note);

    /// <summary>What this activation holds.</summary>
    [Alias("Read")]
    Task<CounterReading> Read();
}
