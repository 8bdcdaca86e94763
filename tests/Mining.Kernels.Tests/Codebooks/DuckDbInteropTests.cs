using System.Diagnostics;
using System.Text.Json;

namespace Mining.Kernels.Tests.Codebooks;

/// <summary>
/// DuckDB (npm <c>@duckdb/node-api</c>, installed into infra/.tools by infra/install-test-deps.sh) reads the exported
/// released codebook: tests/interop/duckdb-read-codebook.mjs checks the row count, every embedding's length and the
/// <c>mining.*</c> metadata.
/// </summary>
public sealed class DuckDbInteropTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Duckdb_reads_454_rows_of_4096_wide_embeddings_and_the_mining_metadata()
    {
        var node = FindOnPath("node");
        if (node is null)
        {
            Assert.Skip("node is not on PATH, so DuckDB's Node.js package cannot run; infra/install-test-deps.sh installs Node.js");
        }

        var root = RepositoryRoot();
        var tools = Path.Combine(root, "infra", ".tools");
        Assert.True(
            File.Exists(Path.Combine(tools, "node_modules", "@duckdb", "node-api", "package.json")),
            $"@duckdb/node-api is not installed in {tools}; run infra/install-test-deps.sh");
        var script = Path.Combine(root, "tests", "interop", "duckdb-read-codebook.mjs");
        var codebook = Probe.ReferenceProbeData.Value.Exported;

        var start = new ProcessStartInfo(node) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { script, tools, codebook, "454", "4096" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(TimeSpan.FromMinutes(2)); // fails a hung run; not a bound on how fast it must be
        var stderrTask = process.StandardError.ReadToEndAsync(limit.Token);
        var stdout = await process.StandardOutput.ReadToEndAsync(limit.Token);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var stderr = await stderrTask;
        output.WriteLine(stdout);
        output.WriteLine(stderr);
        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}: {stderr}");
        using var seen = JsonDocument.Parse(stdout);
        Assert.Equal(454, seen.RootElement.GetProperty("rows").GetInt32());
        Assert.Equal(4096, seen.RootElement.GetProperty("shortest_embedding").GetInt32());
        Assert.Equal(4096, seen.RootElement.GetProperty("longest_embedding").GetInt32());
        Assert.Equal("llava-hf/llava-1.5-7b-hf", seen.RootElement.GetProperty("metadata").GetProperty("mining.model").GetString());
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);

    /// <summary>The folder holding Mining.sln, above the test assembly.</summary>
    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Mining.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"no Mining.sln above {AppContext.BaseDirectory}");
    }
}
