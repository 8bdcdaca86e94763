namespace Mining.Kernels.Experiments;

/// <summary>Runs the single-input, regional and global leave-one-out experiments for the candidate tokens of one image.</summary>
public static class ImageExperiment
{
    /// <summary>
    /// Builds the baseline and, per candidate, the single, window, window-centre-padded and global-window-padded
    /// variants; asks <paramref name="scorer"/> once for the measured logits of all of them (identical variants, such as the shared window
    /// of neighbouring border tokens, are sent once); then derives top1_prob, jsd_region, jsd_global and the
    /// redundancy flag per candidate, in the order of <paramref name="candidateTokens"/>.
    /// </summary>
    /// <param name="scorer">The model, holding this image's visual tokens.</param>
    /// <param name="grid">Side of the square token grid (N = grid²).</param>
    /// <param name="clsSimilarity">Cosine to [CLS] of all N tokens; it fixes each token's rank.</param>
    /// <param name="candidateTokens">Distinct token indices to evaluate.</param>
    /// <param name="parameters">Mining parameters (validated here).</param>
    public static ImageExperimentResult Run(
        IVariantScorer scorer,
        int grid,
        float[] clsSimilarity,
        IReadOnlyList<int> candidateTokens,
        MiningParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(clsSimilarity);
        if (clsSimilarity.Length != grid * grid)
        {
            throw new ArgumentException($"clsSimilarity has {clsSimilarity.Length} values but a {grid}×{grid} grid has {grid * grid} tokens", nameof(clsSimilarity));
        }

        return Run(scorer, grid, TokenRanking.ByCls(clsSimilarity), candidateTokens, parameters);
    }

    /// <summary>As the [CLS] overload, with each token's rank given by <paramref name="ranking"/> (token order for SigLIP).</summary>
    public static ImageExperimentResult Run(
        IVariantScorer scorer,
        int grid,
        TokenRanking ranking,
        IReadOnlyList<int> candidateTokens,
        MiningParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(ranking);
        ArgumentNullException.ThrowIfNull(candidateTokens);
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        if (grid < 3)
        {
            throw new ArgumentOutOfRangeException(nameof(grid), grid, "the experiments need a grid of at least 3×3 tokens");
        }

        var tokenCount = grid * grid;
        if (ranking.TokenCount != tokenCount)
        {
            throw new ArgumentException($"the ranking has {ranking.TokenCount} tokens but a {grid}×{grid} grid has {tokenCount}", nameof(ranking));
        }

        RequireDistinctTokens(candidateTokens, tokenCount);
        var ranks = ranking.Ranks;

        var batch = new VariantBatch();
        var baseline = batch.Add(VisualVariant.Baseline(tokenCount));
        var slots = new (int Single, int Window, int WindowCenterPadded, int GlobalWindowPadded)[candidateTokens.Count];
        for (var c = 0; c < candidateTokens.Count; c++)
        {
            var token = candidateTokens[c];
            slots[c] = (
                batch.Add(VisualVariant.Single(token, parameters.Dup)),
                batch.Add(VisualVariant.Window(token, grid)),
                batch.Add(VisualVariant.WindowCenterPadded(token, grid)),
                batch.Add(VisualVariant.GlobalWindowPadded(token, grid)));
        }

        var measured = scorer.Measure(batch.Variants);
        RequireOneLogitVectorPerVariant(measured, batch.Variants.Count);
        var logits = measured.Select(m => m.Logits).ToArray();

        var results = new TokenExperimentResult[candidateTokens.Count];
        for (var c = 0; c < candidateTokens.Count; c++)
        {
            var token = candidateTokens[c];
            var slot = slots[c];
            var top1 = HeadProbability.Top1(logits[slot.Single], parameters.HeadTopK);
            var jsdRegion = Divergence.Jsd(logits[slot.Window], logits[slot.WindowCenterPadded], parameters.JsdTopK);
            var jsdGlobal = Divergence.Jsd(logits[baseline], logits[slot.GlobalWindowPadded], parameters.JsdTopK);
            results[c] = new TokenExperimentResult(
                token,
                ranks[token],
                ranking.SimilarityOf(token),
                TokenWindow.Around(token, grid),
                top1,
                jsdRegion,
                jsdGlobal,
                RedundancyRule.IsRedundant(top1, jsdRegion, jsdGlobal, parameters))
            {
                LeadSkipped = new LeadSkips(
                    measured[slot.Single].LeadSkipped,
                    measured[slot.Window].LeadSkipped,
                    measured[slot.WindowCenterPadded].LeadSkipped,
                    measured[slot.GlobalWindowPadded].LeadSkipped),
            };
        }

        return new ImageExperimentResult(logits[baseline], results) { BaselineLeadSkipped = measured[baseline].LeadSkipped };
    }

    private static void RequireDistinctTokens(IReadOnlyList<int> candidateTokens, int tokenCount)
    {
        var seen = new bool[tokenCount];
        for (var c = 0; c < candidateTokens.Count; c++)
        {
            var token = candidateTokens[c];
            if (token < 0 || token >= tokenCount)
            {
                throw new ArgumentException($"candidateTokens[{c}] = {token} lies outside [0, {tokenCount})", nameof(candidateTokens));
            }

            if (seen[token])
            {
                throw new ArgumentException($"candidateTokens lists token {token} twice", nameof(candidateTokens));
            }

            seen[token] = true;
        }
    }

    private static void RequireOneLogitVectorPerVariant(MeasuredLogits[]? measured, int variantCount)
    {
        if (measured is null || measured.Length != variantCount || measured.Any(m => m is null))
        {
            throw new InvalidOperationException($"the variant scorer returned {measured?.Length.ToString() ?? "null"} logit vectors for {variantCount} variants");
        }

        var logits = measured.Select(m => m.Logits).ToArray();

        var vocabulary = logits[0]?.Length ?? 0;
        for (var v = 0; v < logits.Length; v++)
        {
            if (logits[v] is null || logits[v].Length != vocabulary || vocabulary == 0)
            {
                throw new InvalidOperationException($"the variant scorer returned {logits[v]?.Length ?? 0} logits for variant {v}, expected {vocabulary} like variant 0");
            }
        }
    }
}
