using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Mining.Client.Tests.Cluster;

/// <summary>Where a verb's cluster comes from: refused combinations and an unreachable cluster, each one error line naming the option.</summary>
public sealed class ClusterOptionTests
{
    [Fact]
    public void Cluster_and_local_silos_together_are_refused_naming_both()
    {
        var run = CliProcess.Run(MiningRuns.MineArguments(Output(), null, "--cluster", "127.0.0.1:30000", "--local-silos", "2"));
        AssertUserError(run, "--cluster", "--local-silos");
    }

    [Fact]
    public void Results_from_a_cluster_without_its_artifact_folder_are_refused_naming_artifacts()
    {
        var run = CliProcess.Run(MiningRuns.MineArguments(Output(), Output(), "--cluster", "127.0.0.1:30000"));
        AssertUserError(run, "--results", "--artifacts");
    }

    [Fact]
    public void A_device_for_a_running_cluster_is_refused_naming_the_option()
    {
        var run = CliProcess.Run(MiningRuns.MineArguments(Output(), null, "--cluster", "127.0.0.1:30000", "--device", "cpu"));
        AssertUserError(run, "--device");
    }

    [Fact]
    public void A_cluster_endpoint_without_a_port_is_refused_naming_the_option()
    {
        var run = CliProcess.Run("jobs", "list", "--cluster", "localhost");
        AssertUserError(run, "--cluster", "localhost");
    }

    [Fact]
    public void Zero_local_silos_are_refused_naming_the_option()
    {
        var run = CliProcess.Run(MiningRuns.MineArguments(Output(), null, "--local-silos", "0"));
        AssertUserError(run, "--local-silos");
    }

    [Fact]
    public void A_cluster_that_does_not_answer_is_named_with_its_endpoint()
    {
        var port = FreePort();
        var run = CliProcess.Run("jobs", "list", "--cluster", $"127.0.0.1:{port}");
        AssertUserError(run, $"127.0.0.1:{port}");
    }

    private static string Output() => Path.Combine(TestData.NewTempFolder(), "out.parquet");

    private static string FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port.ToString(CultureInfo.InvariantCulture);
    }

    private static void AssertUserError(CliResult run, params string[] mentions)
    {
        Assert.True(run.ExitCode == 2, run.Describe());
        Assert.True(run.Stdout.Length == 0, run.Describe());
        var line = run.StderrLines[^1];
        Assert.StartsWith("mining: error: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", line, StringComparison.Ordinal);
        Assert.All(mentions, m => Assert.Contains(m, line, StringComparison.Ordinal));
    }
}
