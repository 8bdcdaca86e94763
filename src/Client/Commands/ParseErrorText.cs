using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.RegularExpressions;

namespace Mining.Client.Commands;

/// <summary>
/// System.CommandLine's parse errors as a newcomer should read them: one line per cause, "unknown option '--modle';
/// did you mean '--model'?", "--ratio: 'abc' is not a number" (never a CLR type name).
/// </summary>
internal static partial class ParseErrorText
{
    /// <summary>One message per cause of <paramref name="result"/>'s errors, in order.</summary>
    public static IReadOnlyList<string> Describe(ParseResult result)
    {
        var command = result.CommandResult.Command;
        var tokens = result.Tokens.Select(t => t.Value).ToList();
        var messages = new List<string>();
        var strays = new HashSet<string>(StringComparer.Ordinal);
        var suggested = new HashSet<string>(StringComparer.Ordinal);

        // First the unknown tokens: an unknown option's value shows up as a stray argument, and the option it was a
        // misspelling of as missing; both are the same cause.
        foreach (var error in result.Errors)
        {
            if (Unrecognized().Match(error.Message) is not { Success: true } unknown)
            {
                continue;
            }

            var token = unknown.Groups[1].Value;
            if (strays.Contains(token))
            {
                continue;
            }

            if (token.StartsWith('-'))
            {
                var suggestion = Closest(token, OptionNames(result.CommandResult));
                messages.Add(suggestion is null ? $"unknown option '{token}'" : $"unknown option '{token}'; did you mean '{suggestion}'?");
                if (suggestion is not null)
                {
                    suggested.Add(suggestion);
                }

                var at = tokens.IndexOf(token);
                if (at >= 0 && at + 1 < tokens.Count && !tokens[at + 1].StartsWith('-'))
                {
                    strays.Add(tokens[at + 1]);
                }
            }
            else if (command.Subcommands.Count > 0)
            {
                var suggestion = Closest(token, command.Subcommands.SelectMany(c => c.Aliases.Prepend(c.Name)));
                // What follows an unknown command are that command's options: reporting them too would be noise.
                return [suggestion is null
                    ? $"unknown command '{token}' (commands: {string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))})"
                    : $"unknown command '{token}'; did you mean '{suggestion}'?"];
            }
            else
            {
                messages.Add($"unexpected argument '{token}'");
            }
        }

        foreach (var error in result.Errors)
        {
            var message = error.Message;
            if (Unrecognized().IsMatch(message))
            {
                continue;
            }

            if (message.StartsWith("Required command was not provided", StringComparison.Ordinal))
            {
                if (messages.Count == 0)
                {
                    messages.Add($"'{string.Join(' ', CommandFailure.CommandPath(result.CommandResult).Prepend("mining"))}' needs a command: {string.Join(", ", command.Subcommands.Select(c => c.Name))}");
                }

                continue;
            }

            if (Required().Match(message) is { Success: true } required)
            {
                if (!suggested.Contains(required.Groups[1].Value))
                {
                    messages.Add($"{required.Groups[1].Value} is required");
                }

                continue;
            }

            if (CannotParse().Match(message) is { Success: true } bad)
            {
                var value = bad.Groups[1].Value;
                var type = Readable(bad.Groups[3].Value);
                messages.Add(bad.Groups[2].Value is { Length: > 0 } option ? $"{option}: '{value}' is not {type}" : $"'{value}' is not {type}");
                continue;
            }

            var line = OneLine(message);
            if (OptionOf(error.SymbolResult) is { } name && !line.Contains(name, StringComparison.Ordinal))
            {
                line = $"{name}: {line}";
            }

            messages.Add(line);
        }

        return messages.Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>"System.Nullable`1[[System.Double, …]]" → "a number"; an unknown type keeps its short name.</summary>
    internal static string Readable(string clrType)
    {
        var inner = NullableInner().Match(clrType) is { Success: true } nullable ? nullable.Groups[1].Value : clrType;
        var name = inner.Split(',')[0].Trim('[', ']', ' ');
        return name switch
        {
            "System.Double" or "System.Single" or "System.Decimal" => "a number",
            "System.Int32" or "System.Int64" or "System.Int16" or "System.UInt32" or "System.UInt64" => "a whole number",
            "System.Boolean" => "true or false",
            _ => "a " + name[(name.LastIndexOf('.') + 1)..],
        };
    }

    /// <summary>The candidate closest to <paramref name="given"/> by edit distance (a swap of neighbours counts once), or null when none is close.</summary>
    internal static string? Closest(string given, IEnumerable<string> candidates)
    {
        var best = candidates
            .Select(c => (Name: c, Distance: Distance(given, c)))
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        var core = given.TrimStart('-').Length;
        return best.Name is not null && best.Distance <= Math.Max(2, core / 3) ? best.Name : null;
    }

    // Optimal string alignment distance: insertions, deletions, substitutions and transpositions of neighbours.
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    // The command's own options and the recursive ones of the commands above it (--help).
    private static IEnumerable<string> OptionNames(CommandResult command)
    {
        for (SymbolResult? current = command; current is CommandResult result; current = current.Parent)
        {
            foreach (var option in result.Command.Options.Where(o => ReferenceEquals(result, command) || o.Recursive))
            {
                yield return option.Name;
                foreach (var alias in option.Aliases)
                {
                    yield return alias;
                }
            }
        }
    }

    // "Must be one of:\n\t'crop'\n\t'pad'" reads as one line: "Must be one of: 'crop', 'pad'".
    private static string OneLine(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length <= 1 ? message.Trim() : lines[0] + " " + string.Join(", ", lines[1..]);
    }

    private static string? OptionOf(SymbolResult? symbol) => symbol switch
    {
        OptionResult option => option.Option.Name,
        ArgumentResult { Parent: OptionResult option } => option.Option.Name,
        _ => null,
    };

    [GeneratedRegex(@"^Unrecognized command or argument '(.*)'\.?$")]
    private static partial Regex Unrecognized();

    [GeneratedRegex(@"^Option '(.*)' is required\.?$")]
    private static partial Regex Required();

    [GeneratedRegex(@"^Cannot parse argument '([^']*)' (?:for (?:option|command) '(.*)' )?as expected type '(.*?)'\.(?:\s|$)", RegexOptions.Singleline)]
    private static partial Regex CannotParse();

    [GeneratedRegex(@"^System\.Nullable`1\[\[?([^\]]*)")]
    private static partial Regex NullableInner();
}
