using Mining.Probe.Codebooks;

namespace Mining.Kernels.Codebooks;

/// <summary>The prototypes that survived deduplication and where every original row went.</summary>
/// <param name="Survivors">Surviving prototypes, PrototypeId renumbered 0..m−1, Members summed over what merged into each.</param>
/// <param name="MergedCount">Original rows that merged into another (original count − survivor count).</param>
/// <param name="SurvivorOf">For each original row (by list position), the PrototypeId of the survivor that stands for it.</param>
public sealed record DeduplicationResult(IReadOnlyList<CodebookEntry> Survivors, int MergedCount, int[] SurvivorOf);
