using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Mining.Silo.Storage;

namespace Mining.Silo.Tests.Storage;

/// <summary>How <see cref="AzureBlobGrainStorageSiloBuilderExtensions"/> wires the provider into a silo host.</summary>
public sealed class AzureBlobGrainStorageRegistrationTests
{
    [Fact]
    public async Task A_silo_with_an_invalid_container_name_fails_at_start_naming_the_setting()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(FreeLoopbackPort(), FreeLoopbackPort())
            .AddAzureBlobGrainStorage("blobs", options =>
            {
                options.ConnectionString = "UseDevelopmentStorage=true";
                options.ContainerName = "Grain_State";
            }));
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("AzureBlobGrainStorageOptions.ContainerName of grain storage 'blobs' is 'Grain_State'", error.Message);
    }

    private static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
