namespace Mining.Grains.Contracts;

/// <summary>
/// The rule for job ids and codebook names: each becomes one artifact key segment and one grain key, so 1–128
/// letters, digits, '.', '_' and '-', not starting with '.'.
/// </summary>
public static class SafeName
{
    /// <summary>Whether <paramref name="name"/> follows the rule.</summary>
    public static bool IsValid(string? name) =>
        !string.IsNullOrEmpty(name)
        && name.Length <= 128
        && name[0] != '.'
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    /// <summary>"'x' must be 1–128 letters, …": the problem with a name that breaks the rule.</summary>
    public static string Problem(string? name) => $"'{name}' must be 1–128 letters, digits, '.', '_' or '-', not starting with '.'";
}
