namespace Mining.Grains.Contracts;

/// <summary>The names of all codebooks (a single grain, key 0).</summary>
[Alias("Mining.ICodebookRegistryGrain")]
public interface ICodebookRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>Records a codebook name (idempotent).</summary>
    [Alias("Register")]
    Task Register(string name);

    /// <summary>Every codebook name, sorted.</summary>
    [Alias("List")]
    Task<IReadOnlyList<string>> List();
}
