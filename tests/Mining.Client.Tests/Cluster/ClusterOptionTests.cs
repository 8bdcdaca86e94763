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
        Assert.True(run.StderrLines.Length == 1, run.Describe());
    }

    [Fact]
    public void A_client_certificate_without_the_cluster_ca_is_refused_naming_the_option()
    {
        var run = CliProcess.Run("jobs", "list", "--cluster", $"127.0.0.1:{FreePort()}", "--cluster-cert", "client.crt", "--cluster-key", "client.key");
        AssertUserError(run, "--cluster-cert", "--cluster-ca");
    }

    [Fact]
    public void A_client_certificate_file_that_does_not_exist_is_refused_naming_its_variable_before_connecting()
    {
        var folder = TestData.NewTempFolder();
        var run = CliProcess.RunWith(
            new Dictionary<string, string> { ["MINING_CLUSTER_CERT"] = Path.Combine(folder, "client.crt"), ["MINING_CLUSTER_CA"] = Path.Combine(folder, "ca.crt") },
            "jobs", "list", "--cluster", $"127.0.0.1:{FreePort()}");
        AssertUserError(run, "MINING_CLUSTER_CA", "does not exist");
        Assert.DoesNotContain("could not connect", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_client_certificate_for_silos_the_command_starts_is_refused_naming_the_option()
    {
        var run = CliProcess.Run(MiningRuns.MineArguments(Output(), null, "--cluster-cert", "client.crt"));
        AssertUserError(run, "--cluster-cert", "--cluster");
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
