using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Mining.Silo.Hosting;

namespace Mining.Client.Tests.Cluster;

/// <summary>
/// A cluster the CLI reaches with <c>--api</c>: a gateway silo serving the HTTP API and a worker silo joining it, both
/// built as <c>src/Silo</c>'s executable builds them (<see cref="StandaloneSilo.Build"/>) and started in the test process
/// on free loopback ports; the allowed root is this test run's temp folder plus the fixture model's folder.
/// </summary>
public sealed class GatewayCluster : IAsyncLifetime
{
    private readonly List<IHost> hosts = [];

    /// <summary>A key the gateway accepts.</summary>
    public string Key { get; } = "client-tests-" + Guid.NewGuid().ToString("N");

    /// <summary>The <c>--api</c> value, e.g. http://127.0.0.1:41234.</summary>
    public string Url { get; private set; } = "";

    /// <summary>The <c>--cluster</c> value: the gateway silo's Orleans gateway, for comparing with the Orleans path.</summary>
    public string OrleansGateway { get; private set; } = "";

    /// <summary>The gateway silo's silo-to-silo endpoint (<c>HOST:PORT</c>), as <c>jobs status --json</c> names it.</summary>
    public string GatewaySiloEndpoint => hosts[0].Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.Endpoint.ToString();

    public async ValueTask InitializeAsync()
    {
        var artifacts = TestData.NewTempFolder();
        var (gatewaySilo, gatewayPort, workerSilo, workerGateway, http) = (FreePort(), FreePort(), FreePort(), FreePort(), FreePort());
        Url = $"http://127.0.0.1:{Invariant(http)}";
        OrleansGateway = $"127.0.0.1:{Invariant(gatewayPort)}";
        await StartAsync(
        [
            "--Mining:Silo:Role=Gateway",
            $"--Mining:Silo:SiloPort={Invariant(gatewaySilo)}",
            $"--Mining:Silo:GatewayPort={Invariant(gatewayPort)}",
            $"--Mining:Artifacts:Root={artifacts}",
            $"--Mining:Api:Url={Url}",
            $"--Mining:Api:ApiKeys:0={Key}",
            $"--Mining:Silo:AllowedRoots:0={TestData.TempRoot}",
            $"--Mining:Silo:AllowedRoots:1={TestData.Fixture}",
        ]);
        await StartAsync(
        [
            $"--Mining:Silo:SiloPort={Invariant(workerSilo)}",
            $"--Mining:Silo:GatewayPort={Invariant(workerGateway)}",
            $"--Mining:Silo:PrimarySiloEndpoint=127.0.0.1:{Invariant(gatewaySilo)}",
            $"--Mining:Silo:AllowedRoots:0={TestData.TempRoot}",
            $"--Mining:Silo:AllowedRoots:1={TestData.Fixture}",
            $"--Mining:Artifacts:Root={artifacts}",
        ]);
    }

    public async ValueTask DisposeAsync()
    {
        // The worker first: the gateway is the primary silo that holds membership.
        foreach (var host in Enumerable.Reverse(hosts))
        {
            await host.StopAsync(CancellationToken.None);
            host.Dispose();
        }
    }

    private async Task StartAsync(string[] args)
    {
        var host = StandaloneSilo.Build(args);
        hosts.Add(host);
        await host.StartAsync(TestContext.Current.CancellationToken);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
