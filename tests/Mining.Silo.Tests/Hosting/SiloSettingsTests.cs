using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Hosting;
using Mining.Silo.Hosting;
using Orleans.Configuration;

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
    public async Task A_gateway_listen_address_that_is_not_an_ip_fails_the_start_naming_the_setting()
    {
        var error = await SiloStartFailure.With(("Mining:Silo:GatewayListenAddress", "everywhere"));
        Assert.Contains("Mining:Silo:GatewayListenAddress", error);
    }

    [Fact]
    public void The_client_port_listens_on_loopback_while_the_silo_port_listens_everywhere_when_the_advertised_address_is_not_loopback()
    {
        var endpoints = EndpointsOf(("Mining:Silo:AdvertisedAddress", "10.0.0.5"));

        Assert.Equal(IPAddress.Parse("10.0.0.5"), endpoints.AdvertisedIPAddress);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 11111), endpoints.SiloListeningEndpoint);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 30000), endpoints.GatewayListeningEndpoint);
    }

    [Fact]
    public void A_gateway_listen_address_of_every_interface_makes_the_client_port_listen_everywhere()
    {
        var endpoints = EndpointsOf(("Mining:Silo:AdvertisedAddress", "10.0.0.5"), ("Mining:Silo:GatewayListenAddress", "0.0.0.0"));
        Assert.Equal(new IPEndPoint(IPAddress.Any, 30000), endpoints.GatewayListeningEndpoint);
    }

    [Fact]
    public void A_loopback_silo_listens_on_its_address_on_both_ports()
    {
        var endpoints = EndpointsOf();
        Assert.Null(endpoints.SiloListeningEndpoint); // Orleans then listens on the advertised 127.0.0.1
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 30000), endpoints.GatewayListeningEndpoint);
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

    /// <summary>Orleans' endpoint options of a silo built (not started) with the default ports and <paramref name="settings"/>.</summary>
    private static EndpointOptions EndpointsOf(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        builder.AddMiningSilo();
        using var host = builder.Build();
        return host.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
    }
}
