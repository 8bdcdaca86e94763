namespace Mining.Kernels.Experiments;

/// <summary>Which of a candidate token's four variants were measured after a skipped leading token (MODELS.md, "The measured logits").</summary>
public readonly record struct LeadSkips(bool Single, bool Window, bool WindowCenterPadded, bool GlobalWindowPadded)
{
    /// <summary>Whether any of the four was.</summary>
    public bool Any => Single || Window || WindowCenterPadded || GlobalWindowPadded;
}
