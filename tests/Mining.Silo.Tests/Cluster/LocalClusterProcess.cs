namespace Mining.Silo.Tests.Cluster;

/// <summary>One line of <c>infra/local/cluster up</c>: a process's name, id and port (silo port for silos, service port otherwise).</summary>
public sealed record LocalClusterProcess(string Name, int Pid, int Port);
