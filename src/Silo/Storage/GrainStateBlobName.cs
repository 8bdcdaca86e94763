using System.Security.Cryptography;
using System.Text;

namespace Mining.Silo.Storage;

/// <summary>The blob name of one grain state: <c>{state name}/{grain type}/{grain key}</c>, each part escaped.</summary>
/// <remarks>
/// Each part keeps ASCII letters, digits, '-' and '_' and writes every other UTF-8 byte as %XX, so distinct
/// (state, type, key) triples give distinct names and no part can carry a '/', a '.' or '..' segment, a
/// trailing dot, a backslash or a control character that Azure or a URL would rewrite. Names longer than
/// Azure's 1,024 characters replace the key by '~' and its SHA-256 ('~' never survives escaping, so a hashed
/// name cannot meet an escaped one).
/// </remarks>
public static class GrainStateBlobName
{
    /// <summary>Azure's limit on a blob name's length.</summary>
    public const int MaxLength = 1024;

    /// <summary>The blob name for the state <paramref name="stateName"/> of grain <paramref name="grainId"/>.</summary>
    public static string For(string stateName, GrainId grainId)
    {
        ArgumentException.ThrowIfNullOrEmpty(stateName);
        var prefix = $"{Escape(stateName)}/{Escape(grainId.Type.ToString()!)}/";
        var key = grainId.Key.ToString()!;
        var name = prefix + Escape(key);
        return name.Length <= MaxLength
            ? name
            : prefix + "~" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    /// <summary>Percent-escapes every UTF-8 byte of <paramref name="part"/> outside [A-Za-z0-9_-].</summary>
    public static string Escape(string part)
    {
        var text = new StringBuilder(part.Length);
        foreach (var b in Encoding.UTF8.GetBytes(part))
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b == '-' || b == '_')
            {
                text.Append((char)b);
            }
            else
            {
                text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return text.ToString();
    }
}
