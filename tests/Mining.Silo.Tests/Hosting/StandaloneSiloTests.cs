using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Mining.Silo.Clustering;
using Mining.Silo.Hosting;
using Orleans.Runtime;

namespace Mining.Silo.Tests.Hosting;

/// <summary>The host <c>dotnet run --project src/Silo</c> builds. Sequential (one class) because one test sets an environment variable.</summary>
public sealed class StandaloneSiloTests
{
    /// <summary>The one setting the bundled appsettings cannot hold: the folders this machine's jobs may read.</summary>
    private static readonly string[] Roots = [$"--Mining:Silo:AllowedRoots:0={TestData.NewTempFolder()}"];

    [Fact]
    public void The_bundled_appsettings_make_a_worker_on_the_documented_ports()
    {
        using var host = StandaloneSilo.CreateBuilder(Roots).Build();
        var silo = host.Services.GetRequiredService<IOptions<SiloHostOptions>>().Value;
        Assert.Equal(SiloRole.Worker, silo.Role);
        Assert.Equal(11111, silo.SiloPort);
        Assert.Equal(30000, silo.GatewayPort);
        Assert.Equal(ClusterDefaults.ClusterId, silo.ClusterId);
        Assert.Equal("cpu", host.Services.GetRequiredService<IOptions<ComputeOptions>>().Value.Device);
    }

    [Fact]
    public void Environment_variables_with_the_mining_prefix_override_appsettings()
    {
        Environment.SetEnvironmentVariable("MINING__SILO__GATEWAYPORT", "30123");
        try
        {
            using var host = StandaloneSilo.CreateBuilder(Roots).Build();
            Assert.Equal(30123, host.Services.GetRequiredService<IOptions<SiloHostOptions>>().Value.GatewayPort);
        }
        finally
        {
            Environment.SetEnvironmentVariable("MINING__SILO__GATEWAYPORT", null);
        }
    }

    [Fact]
    public void The_bundled_appsettings_without_allowed_roots_are_refused_naming_the_setting()
    {
        using var host = StandaloneSilo.CreateBuilder([]).Build();

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<SiloHostOptions>>().Value);

        Assert.Contains("Mining:Silo:AllowedRoots is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_standalone_silo_accepts_a_client_at_its_gateway_and_frees_its_ports_when_stopped()
    {
        var ports = FreePorts.Take(2);
        var artifacts = TestData.NewTempFolder();
        using var host = StandaloneSilo.CreateBuilder(
        [
            $"--Mining:Silo:SiloPort={ports[0].ToString(CultureInfo.InvariantCulture)}",
            $"--Mining:Silo:GatewayPort={ports[1].ToString(CultureInfo.InvariantCulture)}",
            "--Mining:Silo:Name=standalone-under-test",
            $"--Mining:Artifacts:Root={artifacts}",
            .. Roots,
        ]).Build();
        await host.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            var gateway = ClusterEndpoints.Parse($"localhost:{ports[1].ToString(CultureInfo.InvariantCulture)}", "--cluster");
            await using (var connection = await ClusterConnection.ConnectAsync([gateway], cancellation: TestContext.Current.CancellationToken))
            {
                var hosts = await connection.Client.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: true, TestContext.Current.CancellationToken);
                var silo = Assert.Single(hosts);
                Assert.Equal("standalone-under-test", silo.SiloName);
                Assert.Equal(new IPEndPoint(IPAddress.Loopback, ports[0]), silo.SiloAddress.Endpoint);
            }
        }
        finally
        {
            await host.StopAsync(TestContext.Current.CancellationToken);
        }

        Assert.True(FreePorts.IsFree(ports[0]) && FreePorts.IsFree(ports[1]), "the stopped silo still holds its ports");
    }
}
