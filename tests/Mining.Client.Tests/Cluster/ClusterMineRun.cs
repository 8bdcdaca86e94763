namespace Mining.Client.Tests.Cluster;

/// <summary>A <c>mining mine</c> run and the files it was told to write.</summary>
internal sealed record ClusterMineRun(CliResult Run, string Codebook, string Results);
