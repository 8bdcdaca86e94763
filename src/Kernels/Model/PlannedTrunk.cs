namespace Mining.Kernels.Model;

/// <summary>
/// Global leave-one-out branching for one request: a forward of the prefix and the image's first <see cref="Tokens"/>
/// visual tokens in order (its "trunk") keeps every layer's keys and values; each of <see cref="Branches"/> then
/// continues a prefix of that cache. <see cref="Variant"/>, when set, is the request's variant that is exactly the
/// trunk's tokens (the baseline): the trunk call appends the suffix and yields its logits.
/// </summary>
public sealed record PlannedTrunk(int Request, int Tokens, int? Variant, IReadOnlyList<PlannedBatch> Branches);
