using System.Diagnostics;
using System.Globalization;
using System.Net;
using Mining.Silo.Clustering;
using Mining.Silo.Hosting;
using Mining.Silo.Tests.Storage;
using Orleans.Connections.Security;

namespace Mining.Silo.Tests.Cluster;

/// <summary>
/// A cluster of real processes started by <c>infra/local/cluster</c> (Azurite, Redis, gateway silos and worker silos) on free
/// loopback ports with its own state folder; <see cref="DisposeAsync"/> runs <c>down</c>, so nothing outlives the test.
/// </summary>
public sealed class LocalCluster : IAsyncDisposable
{
    /// <summary>Bounds one script command: <c>up</c> may build the silo first, <c>down</c> waits for graceful stops.</summary>
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(10);

    private readonly Dictionary<string, string> environment;
    private bool up;

    private LocalCluster(string stateFolder, int workers, Dictionary<string, string> environment)
    {
        StateFolder = stateFolder;
        Workers = Enumerable.Range(1, workers).Select(i => $"worker{i.ToString(CultureInfo.InvariantCulture)}").ToArray();
        this.environment = environment;
    }

    /// <summary>The script's state folder (pids, settings and one log per process).</summary>
    public string StateFolder { get; }

    /// <summary>The worker silos' names: worker1 … workerN.</summary>
    public IReadOnlyList<string> Workers { get; }

    /// <summary>The processes as <c>up</c> printed them, by name.</summary>
    public IReadOnlyDictionary<string, LocalClusterProcess> Processes { get; private set; } = new Dictionary<string, LocalClusterProcess>();

    /// <summary>The first gateway silo's client endpoint, as <c>up</c> printed it.</summary>
    public IPEndPoint Gateway => Gateways.Count > 0 ? Gateways[0] : new(IPAddress.Loopback, 0);

    /// <summary>Every gateway silo's client endpoint, in the order of <c>up</c>'s <c>gateway</c> lines (gateway, gateway2, …).</summary>
    public IReadOnlyList<IPEndPoint> Gateways { get; private set; } = [];

    /// <summary>Every gateway's HTTP API, from <c>up</c>'s <c>api</c> lines (none when <c>CLUSTER_API_PORT</c> is empty).</summary>
    public IReadOnlyList<Uri> Apis { get; private set; } = [];

    /// <summary>The client certificate files <c>up</c> made and exported in the file of its <c>client</c> line (<c>MINING_CLUSTER_*</c>).</summary>
    public IReadOnlyDictionary<string, string> ClientEnvironment { get; private set; } = new Dictionary<string, string>();

    /// <summary>The cluster's client certificate and CA, as the CLI loads them from <see cref="ClientEnvironment"/>.</summary>
    public ClusterCertificates ClientCertificates => ClusterCertificates.Load(
        new ClusterCertificateFiles
        {
            CertificatePath = ClientEnvironment["MINING_CLUSTER_CERT"],
            KeyPath = ClientEnvironment["MINING_CLUSTER_KEY"],
            CaCertificatePath = ClientEnvironment["MINING_CLUSTER_CA"],
            CertificateName = "MINING_CLUSTER_CERT",
            KeyName = "MINING_CLUSTER_KEY",
            PasswordName = "MINING_CLUSTER_CERT_PASSWORD",
            CaCertificateName = "MINING_CLUSTER_CA",
        },
        ClusterParty.Client);

    /// <summary>Connection string of the cluster's Azurite (the development account).</summary>
    public string StorageConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteProcess.AccountKey};BlobEndpoint=http://127.0.0.1:{environment["AZURITE_PORT"]}/devstoreaccount1;";

    /// <summary>Where infra/local/cluster is.</summary>
    public static string Script { get; } = Path.Combine(RepositoryFolder.Root, "infra", "local", "cluster");

    /// <summary>
    /// Runs <c>infra/local/cluster up --workers N --gateways G</c> on free loopback ports and reads what it printed; a failed start is cleaned up.
    /// <paramref name="siloSettings"/> (such as <c>MINING__COMPUTE__THREADS</c>) go into the script's environment, which every silo inherits.
    /// </summary>
    public static async Task<LocalCluster> UpAsync(int workers, CancellationToken cancellation, IReadOnlyDictionary<string, string>? siloSettings = null, int gateways = 1)
    {
        var state = Path.Combine(Path.GetTempPath(), "mining-tests", "cluster-" + Guid.NewGuid().ToString("N"));
        var services = FreePorts.Take(2);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["MINING_CLUSTER_DIR"] = state,
            ["AZURITE_PORT"] = Invariant(services[0]),
            ["REDIS_PORT"] = Invariant(services[1]),
            ["CLUSTER_GATEWAY_PORT"] = Invariant(FreeBlock(gateways)),
            ["CLUSTER_SILO_PORT"] = Invariant(FreeBlock(workers + gateways)),
            // No HTTP endpoint: these tests are clients of the gateway port only.
            ["CLUSTER_API_PORT"] = string.Empty,
            ["CLUSTER_ID"] = "mining-test",
            ["CLUSTER_READY_TIMEOUT_S"] = "180",
        };
        foreach (var (key, value) in siloSettings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        var cluster = new LocalCluster(state, workers, environment);
        try
        {
            cluster.up = true;
            var output = await cluster.RunAsync(cancellation, "up", "--workers", Invariant(workers), "--gateways", Invariant(gateways));
            cluster.Read(output);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Connects an Orleans client to the (first) gateway with the cluster's client certificate.</summary>
    public Task<ClusterConnection> ConnectAsync(CancellationToken cancellation) =>
        ConnectAsync([Gateway], cancellation);

    /// <summary>Connects an Orleans client to <paramref name="gateways"/> (a static gateway list, as <c>--cluster A,B</c> gives) with the cluster's client certificate.</summary>
    public Task<ClusterConnection> ConnectAsync(IReadOnlyList<IPEndPoint> gateways, CancellationToken cancellation) =>
        ClusterConnection.ConnectAsync(
            gateways, environment["CLUSTER_ID"], environment["CLUSTER_ID"], tls: ClientCertificates.For(ClusterParty.Silo), retryFor: TimeSpan.FromSeconds(30), cancellation: cancellation);

    /// <summary>Connects an Orleans client to the gateway with <paramref name="tls"/> (null: plain TCP), retrying a refused connection for <paramref name="retryFor"/>.</summary>
    public Task<ClusterConnection> ConnectAsync(TlsOptions? tls, TimeSpan retryFor, CancellationToken cancellation) =>
        ClusterConnection.ConnectAsync([Gateway], environment["CLUSTER_ID"], environment["CLUSTER_ID"], tls: tls, retryFor: retryFor, cancellation: cancellation);

    /// <summary><c>status</c>: what the script prints about the cluster now.</summary>
    public Task<string> StatusAsync(CancellationToken cancellation) => RunAsync(cancellation, "status");

    /// <summary><c>kill NAME</c>: SIGKILL to one process.</summary>
    public Task KillAsync(string name, CancellationToken cancellation) => RunAsync(cancellation, "kill", name);

    /// <summary><c>stop NAME</c>: SIGTERM, then SIGKILL if it lingers; its data stays.</summary>
    public Task StopAsync(string name, CancellationToken cancellation) => RunAsync(cancellation, "stop", name);

    /// <summary><c>start NAME</c>: the stopped process again, same port, data and settings; returns once it is back.</summary>
    public Task StartAsync(string name, CancellationToken cancellation) => RunAsync(cancellation, "start", name);

    /// <summary>
    /// A new folder inside the cluster's data folder (an allowed root, inside the state folder so <c>down</c> removes
    /// it) for data the silos read, such as a job's images.
    /// </summary>
    public string NewDataFolder(string name)
    {
        var folder = Path.Combine(StateFolder, "data", name);
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>The tail of a process's log, for failure messages.</summary>
    public string LogTail(string name, int lines = 40)
    {
        var log = Path.Combine(StateFolder, name + ".log");
        return File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(lines)) : $"(no log at {log})";
    }

    /// <summary>Runs <c>down</c>: every process it started stops and its state folder goes.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!up)
        {
            return;
        }

        up = false;
        await RunAsync(CancellationToken.None, "down");
    }

    private async Task<string> RunAsync(CancellationToken cancellation, params string[] arguments)
    {
        var start = new ProcessStartInfo("/bin/bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Script}");
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        deadline.CancelAfter(CommandTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"infra/local/cluster {string.Join(' ', arguments)} did not finish within {CommandTimeout.TotalMinutes} min (or the test was cancelled)");
        }

        var output = await stdout;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"infra/local/cluster {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{output}\n{await stderr}");
        }

        return output;
    }

    private void Read(string output)
    {
        var processes = new Dictionary<string, LocalClusterProcess>(StringComparer.Ordinal);
        var gateways = new List<IPEndPoint>();
        var apis = new List<Uri>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = line.Split(' ');
            if (fields is ["gateway", var address])
            {
                gateways.Add(ClusterEndpoints.Parse(address, "a gateway line of infra/local/cluster up"));
            }
            else if (fields is ["api", var url])
            {
                apis.Add(new Uri(url));
            }
            else if (fields is ["client", var file])
            {
                ClientEnvironment = File.ReadLines(file)
                    .Where(l => l.StartsWith("export ", StringComparison.Ordinal))
                    .Select(l => l["export ".Length..].Split('=', 2))
                    .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
            }
            else if (fields.Length == 3)
            {
                processes[fields[0]] = new LocalClusterProcess(
                    fields[0], int.Parse(fields[1], CultureInfo.InvariantCulture), int.Parse(fields[2], CultureInfo.InvariantCulture));
            }
        }

        Processes = processes;
        Gateways = gateways;
        Apis = apis;
    }

    /// <summary>The first of <paramref name="count"/> consecutive free loopback ports (the script numbers silo, client and HTTP ports on from its first ones).</summary>
    public static int FreeBlock(int count)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var first = FreePorts.Take(1)[0];
            if (first + count <= 65535 && Enumerable.Range(first, count).All(FreePorts.IsFree))
            {
                return first;
            }
        }

        throw new InvalidOperationException($"found no {count} consecutive free loopback ports");
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
