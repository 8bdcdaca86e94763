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

    /// <summary>
    /// Admits a job about to start work (a new job, or a resume) for the API key known by <paramref name="keyId"/> (an
    /// id, never the key) while fewer than <paramref name="maxRunning"/> other jobs of that key are running, assembling
    /// or being admitted. A job that was submitted before stays counted against the key that submitted it. Admissions
    /// take turns, so two gateways cannot both admit the last place; each admitted call must be followed by
    /// <see cref="EndAdmission"/> once the job's grain has answered.
    /// </summary>
    [Alias("AdmitJob")]
    Task<JobAdmission> AdmitJob(string jobId, string keyId, int maxRunning);

    /// <summary>Ends an admission: from now on the job counts by its own state (running or not).</summary>
    [Alias("EndAdmission")]
    Task EndAdmission(string jobId);

    /// <summary>Records a codebook name (idempotent).</summary>
    [Alias("RegisterCodebook")]
    Task RegisterCodebook(string name);

    /// <summary>Every codebook name, sorted ordinally.</summary>
    [Alias("ListCodebooks")]
    Task<IReadOnlyList<string>> ListCodebooks();
}
