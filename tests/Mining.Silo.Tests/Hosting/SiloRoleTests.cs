using System.Globalization;
using Microsoft.Extensions.Hosting;
using Mining.Grains.Contracts;
using Mining.Kernels.Experiments;
using Mining.Kernels.Imaging;
using Mining.Silo.Clustering;
using Mining.Silo.Hosting;

namespace Mining.Silo.Tests.Hosting;

/// <summary>
/// The host's settings reach the grains: a silo whose Mining:Silo:Role is Gateway gets no shard, and results land
/// under Mining:Artifacts:Root. One gateway silo (the primary, where the client connects) and one worker, started
/// as <c>src/Silo</c> starts them.
/// </summary>
public sealed class SiloRoleTests
{
    [Fact]
    public async Task Shards_run_on_the_worker_never_on_the_gateway_and_store_under_the_artifact_root()
    {
        var cancel = TestContext.Current.CancellationToken;
        var ports = FreePorts.Take(4);
        var artifacts = TestData.NewTempFolder();
        using var gateway = Silo(ports[0], ports[1], "Gateway", primary: null, artifacts);
        using var worker = Silo(ports[2], ports[3], "Worker", primary: ports[0], artifacts);
        await gateway.StartAsync(cancel);
        await worker.StartAsync(cancel);
        try
        {
            var images = TestData.NewTempFolder();
            foreach (var name in new[] { "brick.png", "camera.png", "coins.png" })
            {
                File.Copy(Path.Combine(TestData.Samples, name), Path.Combine(images, name));
            }

            await using var connection = await ClusterConnection.ConnectAsync([new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, ports[1])], cancellation: cancel);
            var job = connection.Client.GetGrain<IMiningJobGrain>("role-test");
            var parameters = new MiningParameters { PrototypeClusters = 4, MinUniqueImages = 1 };
            await job.Submit(new JobSpec("role-test", images, TestData.FixtureModel, "role-test", parameters.ToJson(), false, ImageAspect.Crop, 1, null));
            var status = await job.GetStatus();
            while (status.State is JobState.Running or JobState.Assembling)
            {
                await Task.Delay(100, cancel);
                status = await job.GetStatus();
            }

            Assert.Equal(JobState.Completed, status.State);
            Assert.Equal(3, status.Shards.Count);
            Assert.All(status.Shards, shard => Assert.StartsWith($"127.0.0.1:{Invariant(ports[2])}@", shard.Silo, StringComparison.Ordinal));
            Assert.Equal(3, Directory.GetFiles(Path.Combine(artifacts, "jobs", "role-test", "images")).Length);
        }
        finally
        {
            await worker.StopAsync(cancel);
            await gateway.StopAsync(cancel);
        }
    }

    private static IHost Silo(int siloPort, int gatewayPort, string role, int? primary, string artifacts) => StandaloneSilo.CreateBuilder(
    [
        $"--Mining:Silo:SiloPort={Invariant(siloPort)}",
        $"--Mining:Silo:GatewayPort={Invariant(gatewayPort)}",
        $"--Mining:Silo:Role={role}",
        $"--Mining:Silo:PrimarySiloEndpoint={(primary is { } p ? $"127.0.0.1:{Invariant(p)}" : "")}",
        $"--Mining:Silo:AllowedRoots:0={Path.GetTempPath()}",
        $"--Mining:Silo:AllowedRoots:1={TestData.Root}",
        $"--Mining:Artifacts:Root={artifacts}",
    ]).Build();

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
