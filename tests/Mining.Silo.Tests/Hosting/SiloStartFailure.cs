using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Mining.Silo.Hosting;

namespace Mining.Silo.Tests.Hosting;

/// <summary>Starts silos that must refuse their settings and returns what they say (SettingsFailure.Describe).</summary>
internal static class SiloStartFailure
{
    /// <summary>Starts a silo with valid settings overridden by <paramref name="overrides"/> and returns the settings failure it stops with.</summary>
    public static async Task<string> With(params (string Key, string Value)[] overrides)
    {
        var ports = FreePorts.Take(2);
        var settings = new Dictionary<string, string?>
        {
            ["Mining:Silo:SiloPort"] = ports[0].ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mining:Silo:GatewayPort"] = ports[1].ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mining:Artifacts:Root"] = TestData.NewTempFolder(),
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddMiningSilo();
        using var host = builder.Build();
        return await Of(host);
    }

    public static async Task<string> Of(IHost host)
    {
        var thrown = await Record.ExceptionAsync(() => host.StartAsync(TestContext.Current.CancellationToken));
        if (thrown is null)
        {
            await host.StopAsync(TestContext.Current.CancellationToken);
        }

        Assert.NotNull(thrown);
        var description = SettingsFailure.Describe(thrown);
        Assert.True(description is not null, $"not a settings failure: {thrown}");
        return description;
    }
}
