using Microsoft.Extensions.Options;
using Mining.Silo.Hosting;
using Mining.Silo.Tests.Storage;

namespace Mining.Silo.Tests.Hosting;

/// <summary>Start-up checks of <see cref="GrainStorageOptions"/>: the settings of the silo's Azure blob grain storage.</summary>
public sealed class GrainStorageOptionsValidatorTests
{
    private static readonly GrainStorageOptions Valid = new()
    {
        Provider = GrainStorageProvider.AzureBlob,
        ConnectionString = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteProcess.AccountKey};BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;",
        ContainerName = "grain-state",
    };

    [Fact]
    public void Valid_options_pass()
    {
        Assert.True(Validate(Valid).Succeeded);
    }

    [Fact]
    public void Memory_storage_needs_no_connection_string_or_container()
    {
        Assert.True(Validate(new GrainStorageOptions { ContainerName = "" }).Succeeded);
    }

    [Fact]
    public void An_empty_connection_string_is_rejected_naming_the_setting_and_its_environment_variable()
    {
        var message = Failure(Valid with { ConnectionString = " " });

        Assert.Contains("Mining:GrainStorage:ConnectionString", message);
        Assert.Contains("MINING__GRAINSTORAGE__CONNECTIONSTRING", message);
    }

    [Fact]
    public void A_malformed_connection_string_is_rejected_without_echoing_it()
    {
        var message = Failure(Valid with { ConnectionString = "AccountName=devstoreaccount1;AccountKey=secret-key-text" });

        Assert.Contains("Mining:GrainStorage:ConnectionString", message);
        Assert.DoesNotContain("secret-key-text", message);
    }

    [Theory]
    [InlineData("Grain-State")]
    [InlineData("gs")]
    [InlineData("grain--state")]
    [InlineData("-grain-state")]
    [InlineData("grain_state")]
    public void A_container_name_azure_refuses_is_rejected_naming_the_setting(string containerName)
    {
        var message = Failure(Valid with { ContainerName = containerName });

        Assert.Contains("Mining:GrainStorage:ContainerName", message);
        Assert.Contains($"'{containerName}'", message);
    }

    [Fact]
    public async Task A_silo_with_an_invalid_container_name_fails_at_start_naming_the_setting()
    {
        var error = await SiloStartFailure.With(
            ("Mining:GrainStorage:Provider", "AzureBlob"), ("Mining:GrainStorage:ConnectionString", Valid.ConnectionString!), ("Mining:GrainStorage:ContainerName", "Grain_State"));

        Assert.Contains("Mining:GrainStorage:ContainerName", error, StringComparison.Ordinal);
        Assert.Contains("'Grain_State'", error, StringComparison.Ordinal);
    }

    private static ValidateOptionsResult Validate(GrainStorageOptions options) => new GrainStorageOptionsValidator().Validate(Options.DefaultName, options);

    private static string Failure(GrainStorageOptions options)
    {
        var result = Validate(options);
        Assert.True(result.Failed);
        return result.FailureMessage;
    }
}
