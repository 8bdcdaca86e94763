using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Mining.Silo.Tests.Hosting;

/// <summary>One redis-server (installed by infra/install-test-deps.sh) on a free loopback port, without persistence; killed on dispose.</summary>
public sealed class RedisProcess : IAsyncLifetime
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private Process? process;

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; private set; }

    /// <summary>The StackExchange.Redis configuration string of this server.</summary>
    public string ConnectionString => $"127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        const string executable = "redis-server";
        for (var attempt = 1; ; attempt++)
        {
            Port = FreePorts.Take(1)[0];
            var start = new ProcessStartInfo(executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" })
            {
                start.ArgumentList.Add(argument);
            }

            try
            {
                process = Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start");
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                throw new InvalidOperationException($"{executable} is not installed; run infra/install-test-deps.sh", e);
            }

            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (await WaitUntilListeningAsync())
            {
                return;
            }

            // The port was taken between probing and the bind: try another.
            await DisposeAsync();
            if (attempt == 3)
            {
                throw new InvalidOperationException($"{executable} did not listen on 127.0.0.1 after {attempt} attempts");
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (process is not { } running)
        {
            return;
        }

        if (!running.HasExited)
        {
            running.Kill(entireProcessTree: true);
            await running.WaitForExitAsync(CancellationToken.None);
        }

        running.Dispose();
        process = null;
    }

    private async Task<bool> WaitUntilListeningAsync()
    {
        using var deadline = new CancellationTokenSource(ReadyTimeout);
        while (!deadline.IsCancellationRequested && process is { HasExited: false })
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, Port, deadline.Token);
                return true;
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                await Task.Delay(100, CancellationToken.None);
            }
        }

        return false;
    }
}
