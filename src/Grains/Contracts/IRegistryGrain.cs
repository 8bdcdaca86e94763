namespace Mining.Grains.Contracts;

/// <summary>What the cluster holds: the submitted jobs and the codebooks (a single grain, key 0).</summary>
[Alias("Mining.IRegistryGrain")]
public interface IRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>Records a job id (idempotent).</summary>
    [Alias("RegisterJob")]
    Task RegisterJob(string jobId);

    /// <summary>Every recorded job id, in submission order.</summary>
    [Alias("ListJobs")]
    Task<IReadOnlyList<string>> ListJobs();

    /// <summary>Records a codebook name (idempotent).</summary>
    [Alias("RegisterCodebook")]
    Task RegisterCodebook(string name);

    /// <summary>Every codebook name, sorted ordinally.</summary>
    [Alias("ListCodebooks")]
    Task<IReadOnlyList<string>> ListCodebooks();
}
