namespace Mining.Client.Tests;

/// <summary>What one run of the CLI produced: exit code and the two output streams, kept apart.</summary>
internal sealed record CliResult(string[] Arguments, int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Stdout split into lines, without the empty line after the last newline.</summary>
    public string[] StdoutLines => Lines(Stdout);

    /// <summary>Stderr split into lines, without the empty line after the last newline.</summary>
    public string[] StderrLines => Lines(Stderr);

    /// <summary>The command line and both streams, for assertion messages.</summary>
    public string Describe() =>
        $"mining {string.Join(' ', Arguments)}\nexit code {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";

    private static string[] Lines(string text)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        return lines[^1].Length == 0 ? lines[..^1] : lines;
    }
}
