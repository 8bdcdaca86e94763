using System.CommandLine;
using System.CommandLine.Parsing;
using Mining.Kernels.Checkpoints;
using Mining.Kernels.Experiments;
using Mining.Kernels.Imaging;
using Mining.Kernels.Runtime;
using Mining.Kernels.Text;
using Mining.Silo.Clustering;

namespace Mining.Client.Commands;

/// <summary>Runs a verb's body and turns the errors users cause (bad files, bad options, missing backend) into one line on stderr and exit code 2.</summary>
internal static class CommandFailure
{
    /// <summary>Exit code for user errors.</summary>
    public const int UserError = ExitCodes.UserError;

    /// <summary>Runs <paramref name="body"/>; known user errors print "mining: error: …" and return <see cref="UserError"/>.</summary>
    public static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (IsUserError(e))
        {
            Console.Error.WriteLine($"mining: error: {MessageOf(e)}");
            return UserError;
        }
    }

    /// <summary>Runs <paramref name="body"/> as <see cref="Guard"/> does, for verbs that await a cluster.</summary>
    public static async Task<int> GuardAsync(Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (Exception e) when (IsUserError(e))
        {
            Console.Error.WriteLine($"mining: error: {MessageOf(e)}");
            return UserError;
        }
    }

    /// <summary>
    /// Prints each cause of <paramref name="result"/>'s parse errors as one "mining: error: …" line naming the option
    /// or command (with a suggestion for a misspelt one), and returns <see cref="UserError"/>. A verb given without
    /// its sub-command (or <c>mining</c> alone) prints that verb's help instead.
    /// </summary>
    public static int ParseErrors(ParseResult result, Action<IReadOnlyList<string>> printHelp)
    {
        var path = CommandPath(result.CommandResult).ToArray();
        if (result.Errors.All(e => e.Message.StartsWith("Required command was not provided", StringComparison.Ordinal)))
        {
            printHelp(path);
            return UserError;
        }

        var help = string.Join(" ", path.Prepend("mining").Append("--help"));
        foreach (var message in ParseErrorText.Describe(result))
        {
            Console.Error.WriteLine($"mining: error: {message} (see '{help}')");
        }

        return UserError;
    }

    // The verbs below the root, outermost first ("model", "logits").
    internal static IEnumerable<string> CommandPath(CommandResult command)
    {
        var names = new Stack<string>();
        for (var current = command; current.Parent is CommandResult parent; current = parent)
        {
            names.Push(current.Command.Name);
        }

        return names;
    }

    // IOException covers files that cannot be written (a missing output folder, a full disk): the
    // messages name the path, and a stack trace would only hide them.
    private static bool IsUserError(Exception e) => e is CheckpointException or TokenizerException or ImageDecodeException
        or TorchBackendException or MiningParameterException or Mining.Kernels.Datasets.DatasetException or InvalidDataException or IOException
        or ArgumentException or UnauthorizedAccessException or ClusterUnavailableException or Api.GatewayApiException or KeyNotFoundException or Microsoft.Extensions.Options.OptionsValidationException;

    // ArgumentException appends " (Parameter 'spec')", the name of a C# parameter the user never saw, and
    // ArgumentOutOfRangeException a second line "Actual value was …"; the error stays one line either way.
    private static string MessageOf(Exception e)
    {
        var message = e is ArgumentException { ParamName: { } name } argument
            ? argument.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal)
            : e.Message;
        return string.Join(" ", message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
