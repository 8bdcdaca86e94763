namespace Mining.Kernels.Experiments;

/// <summary>
/// Chooses the similarity ranks whose tokens the experiments evaluate. For N = 576 the reference's 96 ranks:
/// 1–24, 37–44, 73–80, 145–152, 217–224, 289–296, 361–368, 433–440, 505–512, 569–576.
/// For another N each band [s, e] is scaled by its share of the ranking: rank r (which stands for the share
/// [(r−1)/N, r/N]) is chosen when that share overlaps the band's share [(s−1)/576, e/576], i.e.
/// r from ⌊(s−1)·N/576⌋+1 to ⌈e·N/576⌉. So every band yields at least one rank, all ranks lie in [1, N],
/// N = 576 gives exactly the reference list, and ranks that two bands share are listed once (ascending).
/// </summary>
public static class CandidateSelection
{
    private const int ReferenceTokenCount = 576;

    private static readonly (int Start, int End)[] ReferenceBands =
    [
        (1, 24), (37, 44), (73, 80), (145, 152), (217, 224),
        (289, 296), (361, 368), (433, 440), (505, 512), (569, 576),
    ];

    /// <summary>The 1-based similarity ranks to evaluate for an image of <paramref name="tokenCount"/> tokens, ascending.</summary>
    public static int[] Ranks(int tokenCount, CandidateMode mode)
    {
        if (tokenCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(tokenCount), tokenCount, "an image needs at least one visual token");
        }

        return mode switch
        {
            CandidateMode.All => Enumerable.Range(1, tokenCount).ToArray(),
            CandidateMode.Reference => ScaledReferenceRanks(tokenCount),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown candidate mode"),
        };
    }

    /// <summary>
    /// The token index holding each of <paramref name="ranks"/>, in the order given; <paramref name="tokenRanks"/>[t]
    /// is token t's rank (a permutation of 1..N, as <see cref="ClsRanking.Rank"/> returns).
    /// </summary>
    public static int[] TokensByRank(int[] ranks, int[] tokenRanks)
    {
        ArgumentNullException.ThrowIfNull(ranks);
        ArgumentNullException.ThrowIfNull(tokenRanks);
        var tokenAtRank = new int[tokenRanks.Length];
        Array.Fill(tokenAtRank, -1);
        for (var token = 0; token < tokenRanks.Length; token++)
        {
            var rank = tokenRanks[token];
            if (rank < 1 || rank > tokenRanks.Length)
            {
                throw new ArgumentException($"tokenRanks[{token}] = {rank} lies outside [1, {tokenRanks.Length}]", nameof(tokenRanks));
            }

            if (tokenAtRank[rank - 1] >= 0)
            {
                throw new ArgumentException($"tokenRanks gives rank {rank} to both token {tokenAtRank[rank - 1]} and token {token}", nameof(tokenRanks));
            }

            tokenAtRank[rank - 1] = token;
        }

        var tokens = new int[ranks.Length];
        for (var i = 0; i < ranks.Length; i++)
        {
            if (ranks[i] < 1 || ranks[i] > tokenRanks.Length)
            {
                throw new ArgumentException($"ranks[{i}] = {ranks[i]} lies outside [1, {tokenRanks.Length}]", nameof(ranks));
            }

            tokens[i] = tokenAtRank[ranks[i] - 1];
        }

        return tokens;
    }

    private static int[] ScaledReferenceRanks(int tokenCount)
    {
        var chosen = new SortedSet<int>();
        foreach (var (start, end) in ReferenceBands)
        {
            // Integer arithmetic so that N = 576 maps each band onto itself exactly.
            var first = (int)((start - 1L) * tokenCount / ReferenceTokenCount) + 1;
            var last = (int)((end * (long)tokenCount + ReferenceTokenCount - 1) / ReferenceTokenCount);
            for (var rank = first; rank <= last; rank++)
            {
                chosen.Add(rank);
            }
        }

        return [.. chosen];
    }
}
