using System.Globalization;
using System.Text.RegularExpressions;
using Orleans.Runtime;

namespace Mining.Silo.Tests.Cluster;

/// <summary>What <c>infra/local/cluster</c> promises its callers: what <c>up</c> prints and when it returns, and what <c>down</c> leaves.</summary>
[Collection(LocalClusterCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class LocalClusterScriptTests
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromMinutes(15);

    [Fact]
    public async Task Up_returns_with_every_silo_in_the_cluster_and_down_stops_every_process_and_removes_the_state()
    {
        using var timeout = Timeout();
        var cancellation = timeout.Token;
        LocalClusterProcess[] processes;
        string state;
        // With the HTTP API, so that the state folder also holds the API key.
        var api = new Dictionary<string, string> { ["CLUSTER_API_PORT"] = FreePorts.Take(1)[0].ToString(CultureInfo.InvariantCulture) };
        await using (var cluster = await LocalCluster.UpAsync(workers: 2, cancellation, api))
        {
            state = cluster.StateFolder;
            AssertOnlyTheOwnerCanReadTheState(state);
            Assert.Equal(["azurite", "redis", "gateway", "worker1", "worker2"], cluster.Processes.Keys);
            processes = [.. cluster.Processes.Values];
            Assert.All(processes, p => Assert.True(IsRunning(p.Pid), $"{p.Name} (pid {p.Pid}) is not running after up"));
            Assert.All(processes, p => Assert.False(FreePorts.IsFree(p.Port), $"nothing listens on {p.Name}'s port {p.Port}"));
            Assert.False(FreePorts.IsFree(cluster.Gateway.Port), "nothing listens on the gateway's client port");

            await using var connection = await cluster.ConnectAsync(cancellation);
            var hosts = await connection.Client.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: true, cancellation);
            Assert.Equal(
                ["gateway", "worker1", "worker2"],
                hosts.Select(h => h.SiloName).Order(StringComparer.Ordinal));
            Assert.All(hosts, h => Assert.Equal(cluster.Processes[h.SiloName].Port, h.SiloAddress.Endpoint.Port));
        }

        Assert.All(processes, p => Assert.False(IsRunning(p.Pid), $"{p.Name} (pid {p.Pid}) still runs after down"));
        Assert.All(processes, p => Assert.True(FreePorts.IsFree(p.Port), $"{p.Name}'s port {p.Port} is still taken after down"));
        Assert.False(Directory.Exists(state), $"down left the state folder {state}");
    }

    [Fact]
    public async Task Up_with_two_gateways_starts_both_in_the_cluster_and_one_serves_on_when_the_other_is_killed()
    {
        using var timeout = Timeout();
        var cancellation = timeout.Token;
        var api = new Dictionary<string, string> { ["CLUSTER_API_PORT"] = LocalCluster.FreeBlock(2).ToString(CultureInfo.InvariantCulture) };
        await using var cluster = await LocalCluster.UpAsync(workers: 1, cancellation, api, gateways: 2);

        Assert.Equal(["azurite", "redis", "gateway", "gateway2", "worker1"], cluster.Processes.Keys);
        Assert.Equal(2, cluster.Gateways.Count);
        Assert.Equal(cluster.Gateways[0].Port + 1, cluster.Gateways[1].Port);
        Assert.Equal(2, cluster.Apis.Count);
        Assert.Equal(cluster.Apis[0].Port + 1, cluster.Apis[1].Port);
        var siloPorts = new[] { "gateway", "gateway2", "worker1" }.Select(name => cluster.Processes[name].Port).ToArray();
        Assert.Equal(siloPorts.Length, siloPorts.Distinct().Count());
        await using (var both = await cluster.ConnectAsync(cluster.Gateways, cancellation))
        {
            var hosts = await both.Client.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: true, cancellation);
            Assert.Equal(["gateway", "gateway2", "worker1"], hosts.Select(h => h.SiloName).Order(StringComparer.Ordinal));
        }

        await cluster.KillAsync("gateway", cancellation);

        var status = (await cluster.StatusAsync(cancellation)).Split('\n', StringSplitOptions.TrimEntries);
        Assert.Contains($"gateway - {cluster.Processes["gateway"].Port.ToString(CultureInfo.InvariantCulture)}", status);
        var survivor = cluster.Processes["gateway2"];
        Assert.Contains($"gateway2 {survivor.Pid.ToString(CultureInfo.InvariantCulture)} {survivor.Port.ToString(CultureInfo.InvariantCulture)}", status);
        Assert.True(IsRunning(survivor.Pid), "gateway2 stopped when gateway was killed");
        await using (var second = await cluster.ConnectAsync([cluster.Gateways[1]], cancellation))
        {
            var hosts = await second.Client.GetGrain<IManagementGrain>(0).GetDetailedHosts(onlyActive: true, cancellation);
            Assert.Contains("gateway2", hosts.Select(h => h.SiloName));
            Assert.Contains("worker1", hosts.Select(h => h.SiloName));
        }

        // The survivor answers /healthz once the cluster answers it; until membership has noticed the killed gateway a
        // probe may still wait on it, so poll (the test's timeout bounds the wait).
        using var http = new HttpClient { BaseAddress = cluster.Apis[1] };
        while (true)
        {
            using var response = await http.GetAsync("/healthz", cancellation);
            if (response.StatusCode == System.Net.HttpStatusCode.OK)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellation);
        }
    }

    [Fact]
    public async Task Up_fails_naming_the_silo_and_its_log_when_a_silo_cannot_start_and_leaves_nothing_running()
    {
        using var timeout = Timeout();
        var settings = new Dictionary<string, string> { ["MINING__COMPUTE__DEVICE"] = "abacus" };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => LocalCluster.UpAsync(workers: 1, timeout.Token, settings));

        Assert.Contains("cluster: worker1 (pid ", error.Message, StringComparison.Ordinal);
        Assert.Contains("exited before it joined the cluster; log: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("worker1.log", error.Message, StringComparison.Ordinal);
        Assert.Contains("Mining:Compute:Device", error.Message, StringComparison.Ordinal);
        var pids = PidPattern().Matches(error.Message).Select(m => int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.NotEmpty(pids);
        Assert.All(pids, pid => Assert.False(IsRunning(pid), $"pid {pid} named in the failure still runs"));
    }

    /// <summary>
    /// The state folder is 0700 and the files holding keys (the API key; the silos' settings, with it and the storage
    /// connection strings) 0600; nothing in it is open to the group or others. The script creates them so (umask), so
    /// there is no moment in which they were readable.
    /// </summary>
    private static void AssertOnlyTheOwnerCanReadTheState(string state)
    {
        const UnixFileMode Folder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        const UnixFileMode File = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        const UnixFileMode GroupOrOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        Assert.Equal(Folder, System.IO.File.GetUnixFileMode(state));
        foreach (var keyed in new[] { "api-key", "gateway.env", "worker1.env", "worker2.env" })
        {
            Assert.Equal(File, System.IO.File.GetUnixFileMode(Path.Combine(state, keyed)));
        }

        Assert.Contains("MINING__API__APIKEYS__0=", System.IO.File.ReadAllText(Path.Combine(state, "gateway.env")), StringComparison.Ordinal);
        var open = new DirectoryInfo(state).EnumerateFileSystemInfos("*", SearchOption.AllDirectories)
            .Where(entry => entry.LinkTarget is null && (entry.UnixFileMode & GroupOrOthers) != 0)
            .Select(entry => $"{Path.GetRelativePath(state, entry.FullName)} ({entry.UnixFileMode})")
            .ToList();
        Assert.True(open.Count == 0, $"open to the group or others in {state}: {string.Join(", ", open)}");
    }

    private static CancellationTokenSource Timeout()
    {
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TestTimeout);
        return timeout;
    }

    /// <summary>
    /// Whether the process exists and is not a zombie: the script's processes outlive the shell that started them, so
    /// once killed they wait as zombies until init reaps them, which <c>Process.HasExited</c> does not see.
    /// </summary>
    private static bool IsRunning(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }

        // "pid (comm) S ...": the state follows the last ')' (the command name may hold spaces and parentheses).
        return stat[stat.LastIndexOf(')') + 2] is not ('Z' or 'X');
    }

    [GeneratedRegex(@"\(pid (\d+)\)")]
    private static partial Regex PidPattern();
}
