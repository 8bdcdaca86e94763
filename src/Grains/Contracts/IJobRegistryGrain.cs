namespace Mining.Grains.Contracts;

/// <summary>The list of submitted jobs (a single grain, key 0).</summary>
[Alias("Mining.IJobRegistryGrain")]
public interface IJobRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>Records a job id (idempotent).</summary>
    [Alias("Register")]
    Task Register(string jobId);

    /// <summary>Every recorded job id, in submission order.</summary>
    [Alias("List")]
    Task<IReadOnlyList<string>> List();
}
