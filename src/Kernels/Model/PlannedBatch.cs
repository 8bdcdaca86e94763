namespace Mining.Kernels.Model;

/// <summary>
/// One forward call of a <see cref="ScoringPlan"/>: its members continue a key/value cache that holds the prompt prefix and
/// the first <see cref="SharedTokens"/> visual tokens (0: the prefix alone), so each member computes only its visual
/// tokens from <see cref="SharedTokens"/> on and the suffix, right-padded to <see cref="QueryLength"/> positions.
/// </summary>
public sealed record PlannedBatch(int SharedTokens, int QueryLength, IReadOnlyList<VariantSlot> Members)
{
    /// <summary>Positions computed, padding included: members × <see cref="QueryLength"/>.</summary>
    public long PaddedTokens => (long)Members.Count * QueryLength;
}
