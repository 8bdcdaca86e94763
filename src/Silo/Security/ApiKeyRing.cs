using System.Security.Cryptography;
using System.Text;

namespace Mining.Silo.Security;

/// <summary>The configured API keys, held only as SHA-256 digests and compared in constant time.</summary>
/// <remarks>
/// A key is known by its id, the first 8 bytes of its digest in hex: that is what a sign-in cookie and the
/// caller's identity carry, so neither holds the key itself.
/// </remarks>
public sealed class ApiKeyRing
{
    // Longer than any configured key could usefully be; bounds the hashing work of a hostile header.
    private const int MaximumPresentedLength = 4096;

    private readonly byte[][] digests;

    /// <summary>Takes the configured <paramref name="keys"/> (empty ones are ignored).</summary>
    public ApiKeyRing(IEnumerable<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        digests = keys.Where(k => !string.IsNullOrEmpty(k)).Select(Digest).ToArray();
    }

    /// <summary>The id of the configured key equal to <paramref name="presented"/>, or null when none is.</summary>
    public string? Match(string? presented)
    {
        if (string.IsNullOrEmpty(presented) || presented.Length > MaximumPresentedLength)
        {
            return null;
        }

        var digest = Digest(presented);
        string? match = null;
        foreach (var known in digests)
        {
            // Every key is compared, so the time taken does not tell which one (if any) matched.
            if (CryptographicOperations.FixedTimeEquals(known, digest))
            {
                match = IdOf(known);
            }
        }

        return match;
    }

    /// <summary>Whether <paramref name="keyId"/> is the id of a key that is still configured.</summary>
    public bool IsConfigured(string keyId) => digests.Any(d => string.Equals(IdOf(d), keyId, StringComparison.Ordinal));

    private static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private static string IdOf(byte[] digest) => Convert.ToHexStringLower(digest, 0, 8);
}
