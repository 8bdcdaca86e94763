using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Mining.Silo.Hosting;

namespace Mining.Silo.Tests.Hosting;

/// <summary>The Mining:Clustering, Mining:GrainStorage and Mining:Artifacts settings: what a start refuses, naming the key and its environment variable.</summary>
public sealed class ProfileSettingsTests
{
    private const string AzuriteLike =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;";

    [Fact]
    public async Task Redis_clustering_without_a_connection_string_fails_naming_the_key_and_its_environment_variable()
    {
        var error = await SiloStartFailure.With(("Mining:Clustering:Provider", "Redis"));
        Assert.Contains("Mining:Clustering:RedisConnectionString", error, StringComparison.Ordinal);
        Assert.Contains("MINING__CLUSTERING__REDISCONNECTIONSTRING", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Azure_blob_grain_storage_without_a_connection_string_fails_naming_the_key_and_its_environment_variable()
    {
        var error = await SiloStartFailure.With(("Mining:GrainStorage:Provider", "AzureBlob"));
        Assert.Contains("Mining:GrainStorage:ConnectionString", error, StringComparison.Ordinal);
        Assert.Contains("MINING__GRAINSTORAGE__CONNECTIONSTRING", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Azure_blob_artifacts_without_a_connection_string_fail_naming_the_key_and_its_environment_variable()
    {
        var error = await SiloStartFailure.With(("Mining:Artifacts:Provider", "AzureBlob"));
        Assert.Contains("Mining:Artifacts:ConnectionString", error, StringComparison.Ordinal);
        Assert.Contains("MINING__ARTIFACTS__CONNECTIONSTRING", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_string_azure_cannot_parse_fails_naming_the_key_but_not_repeating_the_string()
    {
        var error = await SiloStartFailure.With(("Mining:GrainStorage:Provider", "AzureBlob"), ("Mining:GrainStorage:ConnectionString", "AccountKey=secret-value"));
        Assert.Contains("Mining:GrainStorage:ConnectionString", error, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-value", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_artifact_container_name_fails_naming_the_key()
    {
        var error = await SiloStartFailure.With(
            ("Mining:Artifacts:Provider", "AzureBlob"), ("Mining:Artifacts:ConnectionString", AzuriteLike), ("Mining:Artifacts:ContainerName", "Not_Valid"));
        Assert.Contains("Mining:Artifacts:ContainerName", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_clustering_provider_fails_naming_the_key()
    {
        var error = await SiloStartFailure.With(("Mining:Clustering:Provider", "Consul"));
        Assert.Contains("Mining:Clustering:Provider", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_misspelt_grain_storage_key_fails_naming_the_key()
    {
        var error = await SiloStartFailure.With(("Mining:GrainStorage:Conection", "x"));
        Assert.Contains("Mining:GrainStorage", error, StringComparison.Ordinal);
        Assert.Contains("Conection", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_production_environment_without_connection_strings_fails_naming_all_three_environment_variables()
    {
        var ports = FreePorts.Take(2);
        using var host = StandaloneSilo.CreateBuilder(
        [
            "--environment", "Production",
            $"--Mining:Silo:SiloPort={ports[0].ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            $"--Mining:Silo:GatewayPort={ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            $"--Mining:Silo:AllowedRoots:0={TestData.NewTempFolder()}",
        ]).Build();

        var error = await SiloStartFailure.Of(host);

        Assert.Contains("MINING__CLUSTERING__REDISCONNECTIONSTRING", error, StringComparison.Ordinal);
        Assert.Contains("MINING__GRAINSTORAGE__CONNECTIONSTRING", error, StringComparison.Ordinal);
        Assert.Contains("MINING__ARTIFACTS__CONNECTIONSTRING", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_production_environment_without_a_certificate_fails_the_start_naming_the_tls_setting()
    {
        var ports = FreePorts.Take(2);
        using var host = StandaloneSilo.CreateBuilder(
        [
            "--environment", "Production",
            $"--Mining:Silo:SiloPort={ports[0].ToString(System.Globalization.CultureInfo.InvariantCulture)}",
            $"--Mining:Silo:GatewayPort={ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture)}",
        ]).Build();

        var error = await SiloStartFailure.Of(host);

        Assert.Contains("MINING__TLS__CERTIFICATEPATH", error, StringComparison.Ordinal);
    }
}
