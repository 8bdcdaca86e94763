using System.CommandLine;
using Mining.Kernels.Runtime;
using Mining.Silo.Clustering;
using Mining.Silo.Hosting;

namespace Mining.Client.Commands;

/// <summary>
/// The options of every verb that works on a cluster: <c>--cluster HOST:PORT</c> for a running one, otherwise
/// <c>--local-silos N</c> silos started in this process (the embedded default), and <c>--artifacts</c>; with
/// <c>--cluster</c>, <c>--cluster-cert</c>, <c>--cluster-key</c> and <c>--cluster-ca</c> (or their environment
/// variables) make the connection TLS with a client certificate, as a cluster whose silos set <c>Mining:Tls</c> demands.
/// </summary>
internal sealed class ClusterOptionSet
{
    /// <summary>The environment variable <c>--cluster-cert</c> defaults to.</summary>
    public const string CertificateVariable = "MINING_CLUSTER_CERT";

    /// <summary>The environment variable <c>--cluster-key</c> defaults to.</summary>
    public const string KeyVariable = "MINING_CLUSTER_KEY";

    /// <summary>The environment variable <c>--cluster-ca</c> defaults to.</summary>
    public const string CaVariable = "MINING_CLUSTER_CA";

    /// <summary>The password of a PKCS#12 client certificate or an encrypted key: an environment variable only, so that it never shows in a process list.</summary>
    public const string PasswordVariable = "MINING_CLUSTER_CERT_PASSWORD";

    public Option<string?> Cluster { get; } = new("--cluster")
    {
        Description = "Gateway of a running cluster, HOST:PORT (a silo's Mining:Silo:GatewayPort; several separated by commas). Without it the verb starts its own silos in this process.",
    };

    public Option<string> ClusterId { get; } = new("--cluster-id")
    {
        Description = "The running cluster's Mining:Silo:ClusterId (with --cluster).",
        DefaultValueFactory = _ => ClusterDefaults.ClusterId,
    };

    public Option<string?> ClusterCert { get; } = new("--cluster-cert")
    {
        Description = $"With --cluster: the client certificate for a cluster whose silos speak TLS (Mining:Tls), issued by the cluster's CA; a PEM file with --cluster-key, or a PKCS#12 (.pfx) file (password in {PasswordVariable}). Default: {CertificateVariable}.",
    };

    public Option<string?> ClusterKey { get; } = new("--cluster-key")
    {
        Description = $"With --cluster-cert: the PEM private key of a PEM certificate. Default: {KeyVariable}.",
    };

    public Option<string?> ClusterCa { get; } = new("--cluster-ca")
    {
        Description = $"With --cluster-cert: the cluster's CA certificate, which the gateway's certificate must be issued by (the silos' Mining:Tls:CaCertificatePath). Default: {CaVariable}.",
    };

    public Option<int> LocalSilos { get; } = new("--local-silos")
    {
        Description = "Without --cluster: worker silos to start in this process (on 127.0.0.1; they stop when the command ends).",
        DefaultValueFactory = _ => 1,
    };

    public Option<string?> Artifacts { get; } = new("--artifacts")
    {
        Description = "The artifact folder. Without --cluster: where the silos in this process store per-image results and codebooks (default: a temporary folder removed at exit). With --cluster: the cluster's shared Mining:Artifacts:Root as this machine sees it, needed to read per-image results.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Cluster);
        command.Options.Add(ClusterId);
        command.Options.Add(ClusterCert);
        command.Options.Add(ClusterKey);
        command.Options.Add(ClusterCa);
        command.Options.Add(LocalSilos);
        command.Options.Add(Artifacts);
    }

    /// <summary>Adds only the embedded cluster's options, for a verb that always starts its own silos.</summary>
    public void AddEmbeddedTo(Command command)
    {
        command.Options.Add(LocalSilos);
        command.Options.Add(Artifacts);
    }

    /// <summary>Whether the verb will connect to a running cluster rather than start one.</summary>
    public bool UsesRunningCluster(ParseResult result) => !string.IsNullOrWhiteSpace(result.GetValue(Cluster));

    /// <summary>
    /// Connects to <c>--cluster</c>, or starts <c>--local-silos</c> silos that run the model as <paramref name="runtime"/>
    /// says (a verb without runtime options gives null: CPU defaults).
    /// </summary>
    public async Task<ClusterSession> OpenAsync(ParseResult result, RuntimeOptionSet? runtime, CancellationToken cancellation)
    {
        var silos = result.GetValue(LocalSilos);
        var artifacts = result.GetValue(Artifacts);
        if (UsesRunningCluster(result))
        {
            if (result.GetResult(LocalSilos) is { Implicit: false })
            {
                throw new ArgumentException("--cluster and --local-silos exclude each other: give the running cluster's gateway, or the number of silos to start here");
            }

            if (runtime?.Given(result) is { } given)
            {
                throw new ArgumentException($"{given} applies to silos this command starts; a running cluster's silos take their Mining:Compute settings");
            }

            if (artifacts is not null && !Directory.Exists(artifacts))
            {
                throw new DirectoryNotFoundException($"--artifacts: folder '{artifacts}' does not exist (with --cluster it must be the cluster's shared artifact root)");
            }

            IReadOnlyList<System.Net.IPEndPoint> gateways;
            try
            {
                gateways = ClusterEndpoints.ParseList(result.GetValue(Cluster)!, "--cluster");
            }
            catch (FormatException e)
            {
                throw new ArgumentException(e.Message, e);
            }

            return await ClusterSession.ConnectAsync(gateways, result.GetValue(ClusterId)!, Certificates(result), artifacts, cancellation);
        }

        foreach (var option in new Option[] { ClusterCert, ClusterKey, ClusterCa })
        {
            if (result.GetResult(option) is { Implicit: false })
            {
                throw new ArgumentException($"{option.Name} applies to --cluster: silos this command starts take no certificate");
            }
        }

        if (silos < 1)
        {
            throw new ArgumentException($"--local-silos must be at least 1, got {silos}");
        }

        var compute = new ComputeOptions();
        if (runtime is not null)
        {
            var options = runtime.Read(result);
            var maxBatchTokens = result.GetValue(runtime.MaxBatchTokens);
            if (maxBatchTokens < 0)
            {
                throw new ArgumentException($"--max-batch-tokens must be 0 (from free memory) or positive, got {maxBatchTokens}");
            }

            // The silos would refuse a device this build cannot use at start-up, naming their setting; say it with the option's name instead.
            TorchRuntime.Resolve(options);
            compute = new ComputeOptions
            {
                Device = options.Device,
                DType = ComputeOptions.DTypes.First(d => d.Value == options.DType).Key,
                Threads = options.Threads,
                MaxBatchTokens = maxBatchTokens,
            };
        }

        var root = artifacts ?? Path.Combine(Path.GetTempPath(), "mining-embedded", Guid.NewGuid().ToString("N"));
        return await ClusterSession.StartEmbeddedAsync(
            new EmbeddedClusterOptions { Silos = silos, ArtifactRoot = root, Compute = compute },
            temporaryArtifacts: artifacts is null,
            cancellation);
    }

    /// <summary>
    /// The client certificate of <c>--cluster-cert</c> (or <see cref="CertificateVariable"/>) with its key and the CA,
    /// loaded and checked; null when none is given, and the connection is then plain TCP.
    /// </summary>
    private ClusterCertificates? Certificates(ParseResult result)
    {
        var certificate = OptionOrVariable(result, ClusterCert, CertificateVariable);
        var key = OptionOrVariable(result, ClusterKey, KeyVariable);
        var ca = OptionOrVariable(result, ClusterCa, CaVariable);
        if (certificate is null)
        {
            return key is null && ca is null
                ? null
                : throw new ArgumentException($"{(key is null ? "--cluster-ca" : "--cluster-key")} is given without --cluster-cert ({CertificateVariable}): the client certificate");
        }

        if (ca is null)
        {
            throw new ArgumentException($"--cluster-cert needs --cluster-ca ({CaVariable}): the cluster's CA certificate, which the gateway's certificate must be issued by");
        }

        try
        {
            return ClusterCertificates.Load(
                new ClusterCertificateFiles
                {
                    CertificatePath = certificate,
                    KeyPath = key,
                    Password = Environment.GetEnvironmentVariable(PasswordVariable) is { Length: > 0 } password ? password : null,
                    CaCertificatePath = ca,
                    CertificateName = $"--cluster-cert ({CertificateVariable})",
                    KeyName = $"--cluster-key ({KeyVariable})",
                    PasswordName = PasswordVariable,
                    CaCertificateName = $"--cluster-ca ({CaVariable})",
                },
                ClusterParty.Client);
        }
        catch (ClusterCertificateException e)
        {
            throw new ArgumentException(e.Message, e);
        }
    }

    private static string? OptionOrVariable(ParseResult result, Option<string?> option, string variable) =>
        result.GetValue(option) is { Length: > 0 } given ? given
        : Environment.GetEnvironmentVariable(variable) is { Length: > 0 } fromEnvironment ? fromEnvironment
        : null;
}
