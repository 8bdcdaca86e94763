namespace Mining.Kernels.Experiments;

/// <summary>The paper's redundancy condition for one token (ARCHITECTURE §1, "Redundant token").</summary>
public static class RedundancyRule
{
    /// <summary>The weighted leave-one-out divergence <c>k_region·jsd_region + k_global·jsd_global</c>.</summary>
    public static double WeightedJsd(double jsdRegion, double jsdGlobal, MiningParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return parameters.KRegion * jsdRegion + parameters.KGlobal * jsdGlobal;
    }

    /// <summary>
    /// Redundant when removing the token barely moves the output (<c>k_region·jsd_region + k_global·jsd_global &lt; jsd_thres</c>)
    /// and the token alone is not recognisable (<c>top1_prob &lt; top1_thres</c>); both comparisons strict, as the reference's.
    /// </summary>
    public static bool IsRedundant(double top1Prob, double jsdRegion, double jsdGlobal, MiningParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return WeightedJsd(jsdRegion, jsdGlobal, parameters) < parameters.JsdThres
            && top1Prob < parameters.Top1Thres;
    }
}
