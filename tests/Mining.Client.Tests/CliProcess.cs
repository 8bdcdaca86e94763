using System.Diagnostics;

namespace Mining.Client.Tests;

/// <summary>
/// Runs the built CLI (mining.dll in the test output, put there by the project reference) as a real
/// child process: <c>dotnet mining.dll args…</c>, with stdout, stderr and the exit code captured apart.
/// </summary>
internal static class CliProcess
{
    /// <summary>Generous: a run takes about a second, but the machine may be shared with other builds.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public static string MiningDll => Path.Combine(AppContext.BaseDirectory, "mining.dll");

    /// <summary>Runs <c>mining <paramref name="arguments"/></c> in a fresh temp folder (so default outputs land there).</summary>
    public static CliResult Run(params string[] arguments) => RunIn(TestData.NewTempFolder(), arguments);

    /// <summary>Runs <c>mining <paramref name="arguments"/></c> in a fresh temp folder with <paramref name="environment"/> added.</summary>
    public static CliResult RunWith(IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        RunIn(TestData.NewTempFolder(), environment, arguments);

    /// <summary>Runs <c>mining <paramref name="arguments"/></c> with <paramref name="workingDirectory"/> as the current folder.</summary>
    public static CliResult RunIn(string workingDirectory, params string[] arguments) =>
        RunIn(workingDirectory, new Dictionary<string, string>(), arguments);

    private static CliResult RunIn(string workingDirectory, IReadOnlyDictionary<string, string> environment, string[] arguments)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(MiningDll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // ./mining sets MINING_HOME; an inherited one would move the CLI's default outputs out of the temp folder.
        start.Environment.Remove("MINING_HOME");

        // An inherited API key would stand in for the one a test gives (or means to leave out).
        start.Environment.Remove("MINING_API_KEY");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        process.StandardInput.Close();

        // Both streams are drained concurrently: a child blocked on a full stderr pipe would never exit.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"mining {string.Join(' ', arguments)} did not finish within {Timeout}; stderr so far:\n{stderr.Result}");
        }

        process.WaitForExit(); // flushes the redirected streams
        return new CliResult(arguments, process.ExitCode, stdout.Result, stderr.Result);
    }

    // `dotnet test` sets DOTNET_HOST_PATH to the dotnet that runs it; use the same one for the CLI.
    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
