namespace Mining.Kernels.Experiments;

/// <summary>
/// A token's redundancy on a 0–1 scale for display: 1 − max(weighted JSD / jsd_thres, top1_prob / top1_thres),
/// clamped to [0, 1]. It is above 0 exactly when both conditions of the redundancy rule hold with margin, and
/// nears 1 as the token says nothing alone and changes nothing when removed.
/// </summary>
public static class RedundancyScore
{
    /// <summary>The score of one measured token under <paramref name="parameters"/>.</summary>
    public static double Of(TokenExperimentResult token, MiningParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(parameters);
        var jsdRatio = RedundancyRule.WeightedJsd(token.JsdRegion, token.JsdGlobal, parameters) / parameters.JsdThres;
        var top1Ratio = token.Top1Prob / parameters.Top1Thres;
        return Math.Clamp(1 - Math.Max(jsdRatio, top1Ratio), 0, 1);
    }
}
