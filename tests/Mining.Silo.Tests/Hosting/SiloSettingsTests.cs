using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Mining.Silo.Hosting;

namespace Mining.Silo.Tests.Hosting;

public sealed class SiloSettingsTests
{
    [Fact]
    public async Task A_silo_port_of_zero_fails_the_start_naming_the_setting()
    {
        var error = await SiloStartFailure.With(("Mining:Silo:SiloPort", "0"));
        Assert.Contains("Mining:Silo:SiloPort", error);
    }

    [Fact]
    public async Task A_gateway_port_equal_to_the_silo_port_fails_the_start_naming_the_setting()
    {
        var port = FreePorts.Take(1)[0].ToString(System.Globalization.CultureInfo.InvariantCulture);
        var error = await SiloStartFailure.With(("Mining:Silo:SiloPort", port), ("Mining:Silo:GatewayPort", port));
        Assert.Contains("Mining:Silo:GatewayPort", error);
    }

    [Fact]
    public async Task A_gateway_silo_without_a_gateway_port_fails_the_start_naming_the_setting()
    {
        var error = await SiloStartFailure.With(("Mining:Silo:Role", "Gateway"), ("Mining:Silo:GatewayPort", "0"));
        Assert.Contains("Mining:Silo:GatewayPort", error);
    }

    [Fact]
    public async Task A_misspelt_key_fails_the_start_naming_the_key()
    {
        var error = await SiloStartFailure.With(("Mining:Silo:SiloPrt", "11112"));
        Assert.Contains("Mining:Silo", error);
        Assert.Contains("SiloPrt", error);
    }

    [Fact]
    public async Task An_unknown_role_fails_the_start_naming_the_setting()
    {
        var error = await SiloStartFailure.With(("Mining:Silo:Role", "boss"));
        Assert.Contains("Mining:Silo:Role", error);
    }

    [Fact]
    public async Task A_primary_endpoint_without_a_port_fails_the_start_naming_the_setting()
    {
        var error = await SiloStartFailure.With(("Mining:Silo:PrimarySiloEndpoint", "127.0.0.1"));
        Assert.Contains("Mining:Silo:PrimarySiloEndpoint", error);
    }

    [Fact]
    public async Task An_advertised_address_that_is_not_an_ip_fails_the_start_naming_the_setting()
    {
        var error = await SiloStartFailure.With(("Mining:Silo:AdvertisedAddress", "my-laptop"));
        Assert.Contains("Mining:Silo:AdvertisedAddress", error);
    }

    [Fact]
    public async Task An_unknown_dtype_fails_the_start_naming_the_setting()
    {
        var error = await SiloStartFailure.With(("Mining:Compute:DType", "fp8"));
        Assert.Contains("Mining:Compute:DType", error);
    }

    [Fact]
    public async Task An_unknown_device_on_a_worker_fails_the_start_naming_the_setting()
    {
        var error = await SiloStartFailure.With(("Mining:Compute:Device", "tpu"));
        Assert.Contains("Mining:Compute:Device", error);
    }

    [Fact]
    public async Task A_negative_batch_budget_fails_the_start_naming_the_setting()
    {
        var error = await SiloStartFailure.With(("Mining:Compute:MaxBatchTokens", "-1"));
        Assert.Contains("Mining:Compute:MaxBatchTokens", error);
    }

    [Fact]
    public async Task An_artifact_root_under_a_file_fails_the_start_naming_the_setting()
    {
        var file = Path.Combine(TestData.NewTempFolder(), "not-a-folder");
        await File.WriteAllTextAsync(file, "x", TestContext.Current.CancellationToken);
        var error = await SiloStartFailure.With(("Mining:Artifacts:Root", Path.Combine(file, "artifacts")));
        Assert.Contains("Mining:Artifacts:Root", error);
    }

    [Fact]
    public async Task Several_bad_settings_are_all_named()
    {
        var error = await SiloStartFailure.With(("Mining:Silo:SiloPort", "0"), ("Mining:Silo:ClusterId", " "));
        Assert.Contains("Mining:Silo:SiloPort", error);
        Assert.Contains("Mining:Silo:ClusterId", error);
    }

    /// <summary>Starts a silo with valid settings overridden by <paramref name="overrides"/> and returns the settings failure it stops with.</summary>
}
