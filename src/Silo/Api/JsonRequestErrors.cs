using System.Text.Json;
using System.Text.RegularExpressions;

namespace Mining.Silo.Api;

/// <summary>Words for a <see cref="JsonException"/> from reading a request: which field, and what was wrong, without the parser's internals.</summary>
public static partial class JsonRequestErrors
{
    /// <summary>
    /// The field a JSON path such as <c>$.imagesPerShard</c> or <c>$['top1_thres']</c> names, under
    /// <paramref name="parent"/> (or alone when the parent is null); the parent itself (or <c>body</c>) for the root.
    /// </summary>
    public static string Field(string? path, string? parent)
    {
        var name = (path ?? "$").TrimStart('$').TrimStart('.').Replace("['", "", StringComparison.Ordinal).Replace("']", "", StringComparison.Ordinal);
        if (name.Length == 0)
        {
            return parent ?? "body";
        }

        return parent is null ? name : $"{parent}.{name}";
    }

    /// <summary>The problem in <paramref name="exception"/> in a caller's words: the expected kind of value, an unknown field, or the syntax error and where.</summary>
    public static string Describe(JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = exception.Message;
        if (message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            return "is not a known field";
        }

        if (ConvertedTo().Match(message) is { Success: true } conversion)
        {
            return $"must be {Kind(conversion.Groups["type"].Value)}";
        }

        if (exception.LineNumber is { } line && exception.BytePositionInLine is { } position)
        {
            var cut = message.IndexOf(" Path: ", StringComparison.Ordinal) is var p && p >= 0 ? p : message.IndexOf(" LineNumber: ", StringComparison.Ordinal);
            var problem = (cut < 0 ? message : message[..cut]).TrimEnd(' ', '|', '.');
            return $"is not valid JSON (line {line + 1}, byte {position + 1}): {problem}";
        }

        return message;
    }

    private static string Kind(string type) => type.Replace("System.Nullable`1[", "", StringComparison.Ordinal).TrimEnd(']') switch
    {
        "System.String" => "a string",
        "System.Boolean" => "true or false",
        "System.Int32" or "System.Int64" => "an integer",
        "System.Double" or "System.Single" or "System.Decimal" => "a number",
        "System.Text.Json.JsonElement" => "a JSON value",
        _ => "a value of another type",
    };

    [GeneratedRegex(@"could not be converted to (?<type>\S+?)\.(\s|$)")]
    private static partial Regex ConvertedTo();
}
