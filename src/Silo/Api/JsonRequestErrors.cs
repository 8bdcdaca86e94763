using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Mining.Silo.Api;

/// <summary>Words for a <see cref="JsonException"/> from reading a request: which field, and what was wrong, without the parser's internals.</summary>
public static class JsonRequestErrors
{
    /// <summary>
    /// The field a JSON path such as <c>$.imagesPerShard</c> or <c>$['top1_thres']</c> names, under
    /// <paramref name="parent"/> (or alone when the parent is null); the parent itself (or <c>body</c>) for the root.
    /// </summary>
    public static string Field(string? path, string? parent)
    {
        var name = LastSegment(path);
        if (name.Length == 0)
        {
            return parent ?? "body";
        }

        return parent is null ? name : $"{parent}.{name}";
    }

    /// <summary>
    /// The problem in <paramref name="exception"/>, raised while binding valid JSON to <paramref name="target"/>:
    /// an unknown field, or the kind of value the field takes.
    /// </summary>
    public static string Describe(JsonException exception, Type target)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(target);
        if (exception.Message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            return "is not a known field";
        }

        var name = LastSegment(exception.Path);
        var property = target.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(p => string.Equals(JsonName(p), name, StringComparison.OrdinalIgnoreCase));
        return property is null ? "has a value of the wrong kind" : $"must be {Kind(property.PropertyType)}";
    }

    /// <summary>A syntax error's description with its place (line and byte, counted from 1).</summary>
    public static string DescribeSyntax(JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = exception.Message;
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal) is var p && p >= 0 ? p : message.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        var problem = (cut < 0 ? message : message[..cut]).TrimEnd(' ', '|', '.');
        return exception.LineNumber is { } line && exception.BytePositionInLine is { } position
            ? $"is not valid JSON (line {line + 1}, byte {position + 1}): {problem}"
            : $"is not valid JSON: {problem}";
    }

    private static string LastSegment(string? path)
    {
        var trimmed = (path ?? "$").TrimStart('$');
        if (trimmed.EndsWith("']", StringComparison.Ordinal))
        {
            var open = trimmed.LastIndexOf("['", StringComparison.Ordinal);
            return open < 0 ? "" : trimmed[(open + 2)..^2];
        }

        var dot = trimmed.LastIndexOf('.');
        return dot < 0 ? trimmed : trimmed[(dot + 1)..];
    }

    private static string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? property.Name;

    private static string Kind(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(string) => "a string",
        var t when t == typeof(bool) => "true or false",
        var t when t == typeof(int) || t == typeof(long) => "an integer",
        var t when t == typeof(double) || t == typeof(float) || t == typeof(decimal) => "a number",
        var t when t == typeof(JsonElement) => "a JSON object",
        _ => "a value of another kind",
    };
}
