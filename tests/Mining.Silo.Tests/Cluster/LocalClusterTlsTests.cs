using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Mining.Grains.Contracts;
using Mining.Silo.Clustering;
using Mining.Silo.Tests.Hosting;
using Orleans.Connections.Security;

namespace Mining.Silo.Tests.Cluster;

/// <summary>
/// The Orleans ports of a local cluster (<c>infra/local/cluster</c>, whose silos speak TLS with the certificates it makes):
/// a client with the cluster's certificate works, one without a certificate or with a certificate of another CA is
/// refused before it can create a job, and the client port takes connections on loopback only.
/// </summary>
[Collection(LocalClusterCollection.Name)]
public sealed class LocalClusterTlsTests(LocalClusterTlsTests.OneWorker fixture) : IClassFixture<LocalClusterTlsTests.OneWorker>
{
    /// <summary>How long a refused client keeps trying before it reports the cluster unavailable.</summary>
    private static readonly TimeSpan RefusedRetry = TimeSpan.FromSeconds(3);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private LocalCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task A_client_with_the_cluster_certificate_submits_a_job_that_completes_and_lists_it()
    {
        var job = ClusterJob.Create("tls-job", copies: 1, Cluster.NewDataFolder("tls-job"));
        await using var connection = await Cluster.ConnectAsync(Ct);

        await job.SubmitAsync(connection.Client);
        var status = await job.WaitForEndAsync(connection.Client, TimeSpan.FromMinutes(5), Ct);
        var jobs = await connection.Client.GetGrain<IRegistryGrain>(0).ListJobs();

        Assert.Equal(JobState.Completed, status.State);
        Assert.Contains("tls-job", jobs);
    }

    [Fact]
    public async Task A_client_without_a_certificate_is_refused_and_creates_no_job()
    {
        var error = await SubmitAsync("no-certificate-job", tls: null);

        Assert.IsType<ClusterUnavailableException>(error);
        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain("no-certificate-job", await ListJobsAsync());
    }

    [Fact]
    public async Task A_client_whose_certificate_another_ca_issued_is_refused_and_creates_no_job()
    {
        // The client trusts the cluster's CA for the gateway's certificate, so only the gateway can refuse the connection.
        using var rogueAuthority = TestCertificates.NewAuthority("Mining local cluster CA");
        using var rogue = TestCertificates.NewLeaf("mining-client", rogueAuthority, TestCertificates.ClientAuthentication);
        var cluster = Cluster.ClientCertificates;
        var tls = new TlsOptions
        {
            LocalCertificate = rogue,
            RemoteCertificateMode = RemoteCertificateMode.RequireCertificate,
            ClientCertificateMode = RemoteCertificateMode.RequireCertificate,
            RemoteCertificateValidation = (remote, chain, _) => cluster.Accepts(remote, chain, ClusterParty.Silo),
        };

        var error = await SubmitAsync("rogue-certificate-job", tls);

        Assert.IsType<ClusterUnavailableException>(error);
        Assert.DoesNotContain("rogue-certificate-job", await ListJobsAsync());
    }

    [Fact]
    public async Task A_client_with_a_self_signed_certificate_is_refused()
    {
        using var self = TestCertificates.NewLeaf("mining-client", null, TestCertificates.ClientAuthentication);
        var cluster = Cluster.ClientCertificates;
        var tls = new TlsOptions
        {
            LocalCertificate = self,
            RemoteCertificateMode = RemoteCertificateMode.RequireCertificate,
            ClientCertificateMode = RemoteCertificateMode.RequireCertificate,
            RemoteCertificateValidation = (remote, chain, _) => cluster.Accepts(remote, chain, ClusterParty.Silo),
        };

        var error = await SubmitAsync("self-signed-job", tls);

        Assert.IsType<ClusterUnavailableException>(error);
    }

    [Fact]
    public void The_client_port_listens_on_loopback_only()
    {
        var port = Cluster.Gateway.Port;

        // The kernel's own table of listening sockets: the client port is bound to 127.0.0.1, not to every interface.
        var bound = ListeningAddresses(port);
        Assert.Equal([IPAddress.Loopback], bound);

        // Another loopback address, which a socket bound to every interface (0.0.0.0) would answer on.
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var refused = Assert.Throws<SocketException>(() => socket.Connect(new IPEndPoint(IPAddress.Parse("127.0.0.2"), port)));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    /// <summary>Connects with <paramref name="tls"/> and submits a job; returns what was thrown (null: the job was submitted).</summary>
    private async Task<Exception?> SubmitAsync(string jobId, TlsOptions? tls)
    {
        var job = ClusterJob.Create(jobId, copies: 1, Cluster.NewDataFolder(jobId));
        return await Record.ExceptionAsync(async () =>
        {
            await using var connection = await Cluster.ConnectAsync(tls, RefusedRetry, Ct);
            await job.SubmitAsync(connection.Client);
        });
    }

    private async Task<IReadOnlyList<string>> ListJobsAsync()
    {
        await using var connection = await Cluster.ConnectAsync(Ct);
        return await connection.Client.GetGrain<IRegistryGrain>(0).ListJobs();
    }

    /// <summary>The local addresses of the TCP sockets listening on <paramref name="port"/>, from /proc/net/tcp and tcp6.</summary>
    private static List<IPAddress> ListeningAddresses(int port)
    {
        var addresses = new List<IPAddress>();
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" }.Where(File.Exists))
        {
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                // "sl local_address rem_address st ...": the address in hex (in the kernel's byte order), ':', the port in hex; st 0A is LISTEN.
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var local = fields[1].Split(':');
                if (fields[3] != "0A" || int.Parse(local[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture) != port)
                {
                    continue;
                }

                var bytes = Convert.FromHexString(local[0]);
                // Each 32-bit word is in host (little-endian) order.
                for (var word = 0; word < bytes.Length; word += 4)
                {
                    Array.Reverse(bytes, word, 4);
                }

                addresses.Add(new IPAddress(bytes));
            }
        }

        return addresses;
    }

    /// <summary>One local cluster of a gateway and one worker for this class's tests.</summary>
    public sealed class OneWorker : IAsyncLifetime
    {
        private LocalCluster? cluster;

        public LocalCluster Cluster => cluster ?? throw new InvalidOperationException("the cluster is not up");

        public async ValueTask InitializeAsync() => cluster = await LocalCluster.UpAsync(workers: 1, TestContext.Current.CancellationToken);

        public async ValueTask DisposeAsync()
        {
            if (cluster is not null)
            {
                await cluster.DisposeAsync();
            }
        }
    }
}
