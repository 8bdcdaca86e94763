using Mining.Kernels.Clustering;
using Mining.Probe.Codebooks;

namespace Mining.Kernels.Codebooks;

/// <summary>Merges near-copy prototypes (ARCHITECTURE §1, deduplication — ours, beyond the reference).</summary>
public static class PrototypeDeduplicator
{
    /// <summary>
    /// Greedy, in list order: a row whose cosine to an existing survivor is ≥ <paramref name="cosine"/> merges into
    /// the most similar survivor (equal cosines: the earlier survivor) and adds its Members to it; otherwise it becomes
    /// a survivor. A survivor keeps its own embedding, source image, cluster and unique-image count; only Members grows.
    /// </summary>
    /// <remarks>
    /// Keeping the original embedding rather than a members-weighted mean is deliberate: the probe then compares
    /// against real mined tokens, and two guarantees hold that a mean would break — no two survivors have cosine
    /// ≥ <paramref name="cosine"/> (each survivor was below it against every earlier one), and every original row has
    /// a survivor with cosine ≥ <paramref name="cosine"/> (itself, or the one it merged into). Cosines are computed in
    /// double; rows are compared as given, without renormalising to float.
    /// </remarks>
    public static DeduplicationResult Deduplicate(IReadOnlyList<CodebookEntry> entries, double cosine)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (!double.IsFinite(cosine) || cosine <= 0 || cosine > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(cosine), cosine, "cosine must lie in (0, 1]");
        }

        var norms = Norms(entries);
        var survivorRows = new List<int>();
        var members = new List<int>();
        var survivorOf = new int[entries.Count];
        for (var i = 0; i < entries.Count; i++)
        {
            var best = -1;
            var bestCosine = double.NegativeInfinity;
            for (var s = 0; s < survivorRows.Count; s++)
            {
                var row = survivorRows[s];
                var similarity = RowArithmetic.Dot(entries[i].Embedding, entries[row].Embedding) / (norms[i] * norms[row]);
                if (similarity > bestCosine)
                {
                    best = s;
                    bestCosine = similarity;
                }
            }

            if (best >= 0 && bestCosine >= cosine)
            {
                members[best] = checked(members[best] + entries[i].Members);
                survivorOf[i] = best;
                continue;
            }

            survivorOf[i] = survivorRows.Count;
            survivorRows.Add(i);
            members.Add(entries[i].Members);
        }

        var survivors = new CodebookEntry[survivorRows.Count];
        for (var s = 0; s < survivors.Length; s++)
        {
            survivors[s] = entries[survivorRows[s]] with { PrototypeId = s, Members = members[s] };
        }

        return new DeduplicationResult(survivors, entries.Count - survivors.Length, survivorOf);
    }

    private static double[] Norms(IReadOnlyList<CodebookEntry> entries)
    {
        var norms = new double[entries.Count];
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i] ?? throw new ArgumentException($"entries[{i}] is null", nameof(entries));
            if (entry.Embedding is null || entry.Embedding.Length != entries[0].Embedding.Length)
            {
                throw new ArgumentException(
                    $"entries[{i}] (prototype {entry.PrototypeId}) has an embedding of length {entry.Embedding?.Length ?? 0}, expected {entries[0].Embedding.Length}",
                    nameof(entries));
            }

            if (entry.Members < 1)
            {
                throw new ArgumentException($"entries[{i}] (prototype {entry.PrototypeId}) has Members {entry.Members}; it must be at least 1", nameof(entries));
            }

            norms[i] = RowArithmetic.Norm(entry.Embedding);
            if (!double.IsFinite(norms[i]) || norms[i] == 0)
            {
                throw new ArgumentException($"entries[{i}] (prototype {entry.PrototypeId}) has norm {norms[i]}; its cosine is undefined", nameof(entries));
            }
        }

        return norms;
    }
}
