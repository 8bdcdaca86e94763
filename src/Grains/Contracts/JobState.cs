namespace Mining.Grains.Contracts;

/// <summary>Where a mining job is in its life.</summary>
[GenerateSerializer]
[Alias("Mining.JobState")]
public enum JobState
{
    /// <summary>Not submitted yet.</summary>
    None,

    /// <summary>Shards are mining images.</summary>
    Running,

    /// <summary>All images are done; the codebook grain is building the next version.</summary>
    Assembling,

    /// <summary>The codebook version is built.</summary>
    Completed,

    /// <summary>The job could not complete; <see cref="JobStatus.Error"/> says why.</summary>
    Failed,

    /// <summary>Stopped by the user; stored results are kept and <c>Resume</c> continues.</summary>
    Cancelled,
}
