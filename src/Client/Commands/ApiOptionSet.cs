using System.CommandLine;
using Mining.Client.Api;

namespace Mining.Client.Commands;

/// <summary>
/// <c>--api URL</c> and <c>--api-key KEY</c> (or <see cref="GatewayClient.KeyVariable"/>): a running cluster reached
/// through its gateway's HTTP API instead of Orleans.
/// </summary>
internal sealed class ApiOptionSet
{
    public Option<string?> Api { get; } = new("--api")
    {
        Description = "Base URL of a running cluster's HTTP API, e.g. http://127.0.0.1:8080 (a gateway silo's Mining:Api:Url). An alternative to --cluster.",
    };

    public Option<string?> ApiKey { get; } = new("--api-key")
    {
        Description = $"The key to send with --api (one of the gateway's Mining:Api:ApiKeys). Default: the {GatewayClient.KeyVariable} environment variable.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Api);
        command.Options.Add(ApiKey);
    }

    /// <summary>Whether the verb talks to the HTTP API.</summary>
    public bool IsGiven(ParseResult result) => !string.IsNullOrWhiteSpace(result.GetValue(Api));

    /// <summary>A client of <c>--api</c> with its key; the options that only make sense without it are refused.</summary>
    public GatewayClient Open(ParseResult result, ClusterOptionSet cluster, RuntimeOptionSet? runtime)
    {
        var given = result.GetValue(Api)!;
        if (!Uri.TryCreate(given, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") || url.Query.Length > 0)
        {
            throw new ArgumentException($"--api: '{given}' is not an http or https URL (e.g. http://127.0.0.1:8080)");
        }

        foreach (var option in new Option[] { cluster.Cluster, cluster.LocalSilos, cluster.Artifacts, cluster.ClusterCert, cluster.ClusterKey, cluster.ClusterCa })
        {
            if (result.GetResult(option) is { Implicit: false })
            {
                throw new ArgumentException($"--api and {option.Name} exclude each other: the gateway at {url} reaches its own cluster");
            }
        }

        if (runtime?.Given(result) is { } compute)
        {
            throw new ArgumentException($"{compute} applies to silos this command starts; the cluster behind {url} takes its silos' Mining:Compute settings");
        }

        var key = result.GetValue(ApiKey) is { Length: > 0 } fromOption ? fromOption : Environment.GetEnvironmentVariable(GatewayClient.KeyVariable);
        if (string.IsNullOrWhiteSpace(key))
        {
            throw new ArgumentException($"--api-key: the gateway at {url} needs an API key; give --api-key KEY or set {GatewayClient.KeyVariable}");
        }

        return new GatewayClient(url, key.Trim());
    }
}
