namespace Mining.Silo.Api;

/// <summary>The answer to <c>POST /jobs</c> (202 Accepted, with the status URL also in <c>Location</c>).</summary>
/// <param name="Id">The job id (the caller's, or the one the server made).</param>
/// <param name="StatusUrl">Where to follow the job.</param>
/// <param name="Job">The job's status right after submission.</param>
public sealed record JobAccepted(string Id, string StatusUrl, JobView Job);
