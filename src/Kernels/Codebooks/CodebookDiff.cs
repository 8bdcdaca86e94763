using System.Runtime.InteropServices;
using Mining.Probe.Codebooks;

namespace Mining.Kernels.Codebooks;

/// <summary>What changed from one codebook to another: prototypes added, removed and changed, and metadata values.</summary>
/// <remarks>
/// A prototype is identified by its embedding, bit for bit, not by its <c>prototype_id</c>: ids are stable only within
/// a version (a later version renumbers them), while a surviving prototype keeps its embedding exactly. Equal
/// embeddings within one codebook are matched in file order.
/// </remarks>
/// <param name="Added">Rows of the second codebook whose embedding the first lacks.</param>
/// <param name="Removed">Rows of the first codebook whose embedding the second lacks.</param>
/// <param name="Changed">Rows in both whose id, source image, cluster or member count differ.</param>
/// <param name="Metadata">Metadata keys whose values differ, in <see cref="CodebookFormat.Keys"/> order, then <see cref="CodebookFormat.OptionalKeys"/> (a key one file lacks differs from any value).</param>
public sealed record CodebookDiff(
    IReadOnlyList<CodebookEntry> Added,
    IReadOnlyList<CodebookEntry> Removed,
    IReadOnlyList<PrototypeChange> Changed,
    IReadOnlyList<MetadataChange> Metadata)
{
    /// <summary>
    /// Whether the codebooks differ in anything but <c>mining.created_utc</c> (a re-export of the same codebook
    /// differs only there).
    /// </summary>
    public bool HasDifferences => Added.Count > 0 || Removed.Count > 0 || Changed.Count > 0
        || Metadata.Any(m => m.Key != CodebookFormat.CreatedUtcKey);

    /// <summary>Compares <paramref name="before"/> with <paramref name="after"/>.</summary>
    public static CodebookDiff Compare(Codebook before, Codebook after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);

        var unmatched = new Dictionary<string, Queue<CodebookEntry>>(StringComparer.Ordinal);
        foreach (var entry in before.Entries)
        {
            var key = KeyOf(entry);
            if (!unmatched.TryGetValue(key, out var queue))
            {
                unmatched[key] = queue = new Queue<CodebookEntry>();
            }

            queue.Enqueue(entry);
        }

        var added = new List<CodebookEntry>();
        var changed = new List<PrototypeChange>();
        foreach (var entry in after.Entries)
        {
            if (unmatched.TryGetValue(KeyOf(entry), out var queue) && queue.TryDequeue(out var old))
            {
                if (old with { Embedding = entry.Embedding } != entry)
                {
                    changed.Add(new PrototypeChange(old, entry));
                }
            }
            else
            {
                added.Add(entry);
            }
        }

        var matchedAway = new HashSet<CodebookEntry>(unmatched.Values.SelectMany(q => q), ReferenceEqualityComparer.Instance);
        var removed = before.Entries.Where(matchedAway.Contains).ToList();

        var beforePairs = CodebookFormat.Pairs(before.Metadata);
        var afterPairs = CodebookFormat.Pairs(after.Metadata);
        var metadata = CodebookFormat.Keys.Concat(CodebookFormat.OptionalKeys)
            .Where(k => beforePairs.GetValueOrDefault(k) != afterPairs.GetValueOrDefault(k))
            .Select(k => new MetadataChange(k, beforePairs.GetValueOrDefault(k), afterPairs.GetValueOrDefault(k)))
            .ToList();
        return new CodebookDiff(added, removed, changed, metadata);
    }

    // The embedding's exact bits (so 0 and −0 differ, as they do in the file).
    private static string KeyOf(CodebookEntry entry) => Convert.ToBase64String(MemoryMarshal.AsBytes(entry.Embedding.AsSpan()));
}
