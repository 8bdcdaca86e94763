using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Mining.Silo.Tests.Storage;

/// <summary>One azurite-blob process from the project-local install (infra/.tools), serving one data folder on a loopback port.</summary>
public sealed partial class AzuriteProcess : IAsyncDisposable
{
    /// <summary>The development account's well-known key, which Azurite accepts (it is public and grants nothing elsewhere).</summary>
    public const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);
    private const int OutputLinesKept = 40;
    private const int Sigterm = 15;

    private readonly Queue<string> output = new();
    private Process? process;

    private AzuriteProcess(string dataFolder, int port)
    {
        DataFolder = dataFolder;
        Port = port;
    }

    /// <summary>The folder Azurite keeps its blobs and metadata in; a restart on it finds the same data.</summary>
    public string DataFolder { get; }

    /// <summary>The loopback port of the blob endpoint.</summary>
    public int Port { get; }

    /// <summary>Connection string for the development account on this process's blob endpoint.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};BlobEndpoint=http://127.0.0.1:{Port}/devstoreaccount1;";

    /// <summary>Whether the process is running.</summary>
    public bool IsRunning => process is { HasExited: false };

    /// <summary>Where infra/install-test-deps.sh installs azurite-blob.</summary>
    public static string Executable { get; } = Path.Combine(RepositoryFolder.Root, "infra", ".tools", "node_modules", ".bin", "azurite-blob");

    /// <summary>Starts Azurite on a free loopback port with its data in <paramref name="dataFolder"/> and waits until it listens.</summary>
    public static async Task<AzuriteProcess> StartAsync(string dataFolder)
    {
        if (!File.Exists(Executable))
        {
            throw new InvalidOperationException(
                $"Azurite is not installed: {Executable} is missing. Run infra/install-test-deps.sh (it installs Azurite into infra/.tools).");
        }

        // The free port can be taken between probing and Azurite's bind; a few fresh ports make that race harmless.
        for (var attempt = 1; ; attempt++)
        {
            var azurite = new AzuriteProcess(dataFolder, FreeLoopbackPort());
            try
            {
                await azurite.StartAsync();
                return azurite;
            }
            catch (AzuriteExitedException) when (attempt < 3)
            {
                await azurite.DisposeAsync();
            }
        }
    }

    /// <summary>Starts (or restarts) the process on the same port and data folder and waits until it listens.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            return;
        }

        Directory.CreateDirectory(DataFolder);
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "--blobHost", "127.0.0.1", "--blobPort", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--location", DataFolder, "--skipApiVersionCheck", "--loose", "--disableTelemetry", "--silent",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        lock (output)
        {
            output.Clear();
        }

        var started = new Process { StartInfo = start };
        started.OutputDataReceived += (_, line) => Keep(line.Data);
        started.ErrorDataReceived += (_, line) => Keep(line.Data);
        started.Start();
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        process = started;

        using var deadline = new CancellationTokenSource(ReadyTimeout);
        while (!await ListensAsync(deadline.Token))
        {
            if (started.HasExited)
            {
                throw new AzuriteExitedException($"azurite-blob exited with {started.ExitCode} before listening on 127.0.0.1:{Port}:\n{Output()}");
            }

            if (deadline.IsCancellationRequested)
            {
                await StopAsync();
                throw new TimeoutException($"azurite-blob did not listen on 127.0.0.1:{Port} within {ReadyTimeout.TotalSeconds} s:\n{Output()}");
            }

            await Task.Delay(100, CancellationToken.None);
        }
    }

    /// <summary>Stops the process: SIGTERM so Azurite saves its metadata, then its whole process tree is killed if it lingers.</summary>
    public async Task StopAsync()
    {
        if (process is not { } running)
        {
            return;
        }

        if (!running.HasExited)
        {
            _ = SendSignal(running.Id, Sigterm);
            using var graceful = new CancellationTokenSource(StopTimeout);
            try
            {
                await running.WaitForExitAsync(graceful.Token);
            }
            catch (OperationCanceledException)
            {
                running.Kill(entireProcessTree: true);
                using var killed = new CancellationTokenSource(StopTimeout);
                await running.WaitForExitAsync(killed.Token);
            }
        }

        running.Dispose();
        process = null;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        finally
        {
            // If the graceful stop failed, nothing may outlive the tests.
            if (process is { } left)
            {
                try
                {
                    left.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                }

                left.Dispose();
                process = null;
            }
        }
    }

    private async Task<bool> ListensAsync(CancellationToken deadline)
    {
        using var client = new TcpClient();
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(deadline);
        attempt.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, Port, attempt.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.Enqueue(line);
            while (output.Count > OutputLinesKept)
            {
                output.Dequeue();
            }
        }
    }

    private string Output()
    {
        lock (output)
        {
            return string.Join('\n', output);
        }
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

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);

    private sealed class AzuriteExitedException(string message) : Exception(message);
}
