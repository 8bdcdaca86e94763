using Microsoft.Extensions.Options;
using Mining.Silo.Storage;

namespace Mining.Silo.Tests.Storage;

/// <summary>Start-up checks of <see cref="AzureBlobGrainStorageOptions"/>.</summary>
public sealed class AzureBlobGrainStorageOptionsValidatorTests
{
    private const string Provider = "Default";

    private static readonly AzureBlobGrainStorageOptions Valid = new()
    {
        ConnectionString = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteProcess.AccountKey};BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;",
        ContainerName = "grain-state",
    };

    [Fact]
    public void Valid_options_pass()
    {
        Assert.True(Validate(Valid).Succeeded);
    }

    [Fact]
    public void Options_of_another_provider_are_left_to_its_own_validator()
    {
        var result = new AzureBlobGrainStorageOptionsValidator(Provider).Validate("other", Valid with { ConnectionString = "" });

        Assert.True(result.Skipped);
    }

    [Fact]
    public void An_empty_connection_string_is_rejected_naming_the_setting_and_provider()
    {
        var message = Failure(Valid with { ConnectionString = " " });

        Assert.Contains("AzureBlobGrainStorageOptions.ConnectionString of grain storage 'Default' is empty", message);
    }

    [Fact]
    public void A_malformed_connection_string_is_rejected_without_echoing_it()
    {
        var message = Failure(Valid with { ConnectionString = "AccountName=devstoreaccount1;AccountKey=secret-key-text" });

        Assert.Contains("AzureBlobGrainStorageOptions.ConnectionString", message);
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

        Assert.Contains($"AzureBlobGrainStorageOptions.ContainerName of grain storage 'Default' is '{containerName}'", message);
    }

    [Fact]
    public void Negative_retries_are_rejected_naming_the_setting()
    {
        Assert.Contains("AzureBlobGrainStorageOptions.MaxRetries", Failure(Valid with { MaxRetries = -1 }));
    }

    [Fact]
    public void A_maximum_retry_delay_below_the_first_delay_is_rejected_naming_the_setting()
    {
        var message = Failure(Valid with { RetryDelay = TimeSpan.FromSeconds(2), MaxRetryDelay = TimeSpan.FromSeconds(1) });

        Assert.Contains("AzureBlobGrainStorageOptions.MaxRetryDelay", message);
    }

    [Fact]
    public void The_options_text_leaves_out_the_account_key()
    {
        Assert.DoesNotContain(AzuriteProcess.AccountKey, Valid.ToString());
    }

    private static ValidateOptionsResult Validate(AzureBlobGrainStorageOptions options) =>
        new AzureBlobGrainStorageOptionsValidator(Provider).Validate(Provider, options);

    private static string Failure(AzureBlobGrainStorageOptions options)
    {
        var result = Validate(options);
        Assert.True(result.Failed);
        return result.FailureMessage;
    }
}
