using Mining.Grains.Codebooks;
using Mining.Grains.Contracts;

namespace Mining.Silo.Tests;

/// <summary>A codebook version's bytes as clients get them: through <see cref="CodebookExporter"/>, chunk by chunk.</summary>
internal static class ExportedCodebook
{
    public static async Task<byte[]> BytesAsync(ICodebookGrain codebook, int? version, CancellationToken cancellation)
    {
        using var bytes = new MemoryStream();
        await codebook.ExportToAsync(version, bytes, cancellation);
        return bytes.ToArray();
    }
}
