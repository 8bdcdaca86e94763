using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Mining.Silo.Api;
using Mining.Silo.Hosting;

namespace Mining.Silo.Tests.Hosting;

/// <summary>
/// infra/deploy cannot run here (no Docker, no Kubernetes), so these tests hold it to the configuration the silo
/// reads: every <c>MINING__*</c> variable the manifests set binds to a setting of its section with the value given.
/// </summary>
public sealed partial class DeploymentManifestTests
{
    private static readonly string Deploy = Path.Combine(RepositoryFolder.Root, "infra", "deploy");

    /// <summary>The silo's settings sections and the options each binds to.</summary>
    private static readonly Dictionary<string, Type> Sections = new(StringComparer.OrdinalIgnoreCase)
    {
        [SiloHostOptions.Section] = typeof(SiloHostOptions),
        [ComputeOptions.Section] = typeof(ComputeOptions),
        [ClusteringOptions.Section] = typeof(ClusteringOptions),
        [GrainStorageOptions.Section] = typeof(GrainStorageOptions),
        [ArtifactOptions.Section] = typeof(ArtifactOptions),
        [ClusterTlsOptions.Section] = typeof(ClusterTlsOptions),
        [MiningApiOptions.SectionName] = typeof(MiningApiOptions),
    };

    public static TheoryData<string> Manifests => new(Directory.EnumerateFiles(Path.Combine(RepositoryFolder.Root, "infra", "deploy", "k8s"), "*.yaml").Select(Path.GetFileName).Order()!);

    [Theory]
    [MemberData(nameof(Manifests))]
    public void Every_mining_variable_a_manifest_sets_binds_to_a_silo_setting(string manifest)
    {
        var variables = Variables(File.ReadAllLines(Path.Combine(Deploy, "k8s", manifest)));
        foreach (var (name, value) in variables)
        {
            var key = name.Replace("__", ":", StringComparison.Ordinal);
            var section = Sections.Keys.SingleOrDefault(s => key.StartsWith(s + ":", StringComparison.OrdinalIgnoreCase));
            Assert.True(section is not null, $"{manifest}: {name} is in no section the silo reads ({string.Join(", ", Sections.Keys)})");
            var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(key, value)]).Build();
            var options = Activator.CreateInstance(Sections[section])!;
            var error = Record.Exception(() => configuration.GetSection(section).Bind(options, binder => binder.ErrorOnUnknownConfiguration = true));
            Assert.True(error is null, $"{manifest}: {name}={value} does not bind: {error?.Message}");
        }
    }

    [Fact]
    public void The_manifests_set_the_production_providers_and_the_secret_supplies_their_connection_strings()
    {
        var all = Directory.EnumerateFiles(Path.Combine(Deploy, "k8s"), "*.yaml")
            .SelectMany(file => Variables(File.ReadAllLines(file)))
            .ToLookup(pair => pair.Name, pair => pair.Value, StringComparer.OrdinalIgnoreCase);

        Assert.Equal("Redis", Assert.Single(all["MINING__CLUSTERING__PROVIDER"]));
        Assert.Equal("AzureBlob", Assert.Single(all["MINING__GRAINSTORAGE__PROVIDER"]));
        Assert.Equal("AzureBlob", Assert.Single(all["MINING__ARTIFACTS__PROVIDER"]));
        foreach (var secret in new[] { "MINING__CLUSTERING__REDISCONNECTIONSTRING", "MINING__GRAINSTORAGE__CONNECTIONSTRING", "MINING__ARTIFACTS__CONNECTIONSTRING", "MINING__API__APIKEYS__0" })
        {
            Assert.Single(all[secret]);
        }

        Assert.Equal(["Gateway", "Worker"], all["MINING__SILO__ROLE"].Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_silo_gets_the_tls_certificate_from_the_mounted_secret_and_the_gateway_listens_for_clients_on_the_pod_address()
    {
        var variables = Directory.EnumerateFiles(Path.Combine(Deploy, "k8s"), "*.yaml")
            .SelectMany(file => Variables(File.ReadAllLines(file)))
            .ToLookup(pair => pair.Name, pair => pair.Value, StringComparer.OrdinalIgnoreCase);
        var gateway = File.ReadAllText(Path.Combine(Deploy, "k8s", "gateway.yaml"));
        var workers = File.ReadAllText(Path.Combine(Deploy, "k8s", "workers.yaml"));

        foreach (var name in new[] { "MINING__TLS__CERTIFICATEPATH", "MINING__TLS__KEYPATH", "MINING__TLS__CACERTIFICATEPATH" })
        {
            var path = Assert.Single(variables[name]);
            Assert.StartsWith("/etc/mining/tls/", path, StringComparison.Ordinal);
        }

        Assert.All(new[] { gateway, workers }, manifest =>
        {
            Assert.Contains("{ name: tls, mountPath: /etc/mining/tls, readOnly: true }", manifest, StringComparison.Ordinal);
            Assert.Contains("secretName: mining-tls", manifest, StringComparison.Ordinal);
        });
        Assert.Equal("0.0.0.0", Assert.Single(variables["MINING__SILO__GATEWAYLISTENADDRESS"]));
        Assert.Contains("MINING__SILO__GATEWAYLISTENADDRESS", gateway, StringComparison.Ordinal);
    }

    [Fact]
    public void The_gateway_runs_two_replicas_behind_a_service_that_keeps_a_browser_on_one()
    {
        var gateway = File.ReadAllLines(Path.Combine(Deploy, "k8s", "gateway.yaml")).Select(line => line.Trim()).ToArray();

        Assert.Equal("replicas: 2", Assert.Single(gateway, line => line.StartsWith("replicas:", StringComparison.Ordinal)));
        Assert.Contains("sessionAffinity: ClientIP", gateway);
    }

    [Fact]
    public void The_image_selects_the_production_settings_file_the_silo_ships()
    {
        var dockerfile = File.ReadAllText(Path.Combine(Deploy, "Dockerfile"));
        Assert.Contains("DOTNET_ENVIRONMENT=Production", dockerfile, StringComparison.Ordinal);
        Assert.Contains("-p:TorchBackend=${TORCH_BACKEND}", dockerfile, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(RepositoryFolder.Root, "src", "Silo", "appsettings.Production.json")));
    }

    /// <summary>
    /// The <c>MINING__*</c> variables of a manifest: a ConfigMap's or Secret's <c>KEY: value</c> lines and a container's
    /// <c>- name: KEY</c> / <c>value: ...</c> pairs; a value taken from the downward API gets a stand-in of its kind.
    /// </summary>
    private static List<(string Name, string Value)> Variables(string[] lines)
    {
        var found = new List<(string, string)>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (DataLine().Match(lines[i]) is { Success: true } data)
            {
                found.Add((data.Groups["name"].Value, Unquote(data.Groups["value"].Value)));
            }
            else if (NameLine().Match(lines[i]) is { Success: true } env && i + 1 < lines.Length)
            {
                var name = env.Groups["name"].Value;
                var next = lines[i + 1];
                var value = ValueLine().Match(next) is { Success: true } literal
                    ? Unquote(literal.Groups["value"].Value)
                    : next.Contains("status.podIP", StringComparison.Ordinal) ? "10.0.0.5"
                    : next.Contains("metadata.name", StringComparison.Ordinal) ? "mining-worker-0"
                    : throw new InvalidOperationException($"{name}: neither a value nor a known valueFrom on the next line: '{next.Trim()}'");
                found.Add((name, value));
            }
        }

        return found;
    }

    private static string Unquote(string value) => value.Trim().Trim('"');

    [GeneratedRegex(@"^\s+(?<name>MINING__[A-Z0-9_]+):\s*(?<value>.*)$")]
    private static partial Regex DataLine();

    [GeneratedRegex(@"^\s+- name:\s*(?<name>MINING__[A-Z0-9_]+)\s*$")]
    private static partial Regex NameLine();

    [GeneratedRegex(@"^\s+value:\s*(?<value>.*)$")]
    private static partial Regex ValueLine();
}
