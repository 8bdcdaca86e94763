using System.CommandLine;

namespace Mining.Client.Commands;

/// <summary>The verbs that only make sense on a running cluster (<c>jobs …</c>, <c>codebook export</c>) refuse to start silos of their own.</summary>
internal static class ClusterRequirement
{
    /// <summary>Throws, naming <paramref name="verb"/>, unless <c>--cluster</c> or <c>--api</c> is given.</summary>
    public static void Require(ParseResult result, ClusterOptionSet cluster, ApiOptionSet api, string verb)
    {
        if (!cluster.UsesRunningCluster(result) && !api.IsGiven(result))
        {
            throw new ArgumentException($"'mining {verb}' works on a running cluster: give --cluster HOST:PORT or --api URL");
        }
    }
}
