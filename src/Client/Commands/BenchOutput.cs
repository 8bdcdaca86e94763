using System.CommandLine;
using Mining.Kernels.IO;

namespace Mining.Client.Commands;

/// <summary>A bench verb's <c>--out FILE</c>: a path the user gives follows <see cref="OutputFile"/>'s rule; the default under .out/bench is the tool's own file, replaced on every run.</summary>
internal static class BenchOutput
{
    /// <summary>Checks <paramref name="output"/> before the measurement starts and returns its path.</summary>
    public static string Check(ParseResult result, Option<string> output, Option<bool> force)
    {
        var path = result.GetValue(output)!;
        if (result.GetResult(output) is { Implicit: false })
        {
            OutputFile.RequireWritable(path, "--out", result.GetValue(force));
        }

        return path;
    }
}
