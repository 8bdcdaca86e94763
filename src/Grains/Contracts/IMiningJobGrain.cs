namespace Mining.Grains.Contracts;

/// <summary>A mining job, keyed by its id: validates the spec, fans images out to shards, tracks progress, then asks the codebook grain for the next version.</summary>
[Alias("Mining.IMiningJobGrain")]
public interface IMiningJobGrain : IGrainWithStringKey
{
    /// <summary>Starts the job; refused before any work if the spec is invalid. The same spec again returns the current status.</summary>
    [Alias("Submit")]
    Task<JobStatus> Submit(JobSpec spec);

    /// <summary>The job's status.</summary>
    [Alias("GetStatus")]
    Task<JobStatus> GetStatus();

    /// <summary>Stops new work (each shard finishes the image in hand); stored results stay.</summary>
    [Alias("Cancel")]
    Task<JobStatus> Cancel();

    /// <summary>Continues a cancelled job; images with stored results are not mined again.</summary>
    [Alias("Resume")]
    Task<JobStatus> Resume();
}
