namespace Mining.Kernels.Experiments;

/// <summary>Which similarity ranks of an image are evaluated by the experiments.</summary>
public enum CandidateMode
{
    /// <summary>The reference's 96 ranks for 576 tokens, scaled proportionally to other token counts.</summary>
    Reference,

    /// <summary>Every token.</summary>
    All,
}
