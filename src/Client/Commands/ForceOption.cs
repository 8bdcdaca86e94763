using System.CommandLine;

namespace Mining.Client.Commands;

/// <summary><c>--force</c>: the one way to let a verb replace an existing output (the rule is <see cref="Mining.Kernels.IO.OutputFile"/>'s).</summary>
internal static class ForceOption
{
    public static Option<bool> Create() => new("--force") { Description = "Replace an output file (or checkpoint folder) that already exists; without it an existing one is refused." };
}
