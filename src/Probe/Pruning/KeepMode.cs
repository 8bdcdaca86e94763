namespace Mining.Probe.Pruning;

/// <summary>How a <see cref="KeepRule"/> turns the scores s(t) into the tokens to keep (ARCHITECTURE §1, "Probe").</summary>
public enum KeepMode
{
    /// <summary>Keep every token with s(t) &lt; τ.</summary>
    Threshold,

    /// <summary>Keep the round(N·ratio) tokens with the lowest s(t), equal scores by index, in their original order.</summary>
    Ratio,
}
