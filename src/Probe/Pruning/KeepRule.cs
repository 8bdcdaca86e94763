using System.Globalization;

namespace Mining.Probe.Pruning;

/// <summary>Which tokens the probe keeps: by threshold (s(t) &lt; τ) or by ratio (the round(N·ratio) lowest s(t)).</summary>
/// <remarks>Make one with <see cref="Threshold"/> or <see cref="Ratio"/>, which check the value.</remarks>
public sealed record KeepRule
{
    private KeepRule(KeepMode mode, double value)
    {
        Mode = mode;
        Value = value;
    }

    /// <summary>Threshold or ratio.</summary>
    public KeepMode Mode { get; }

    /// <summary>τ for <see cref="KeepMode.Threshold"/>, the kept fraction for <see cref="KeepMode.Ratio"/>.</summary>
    public double Value { get; }

    /// <summary>Keep the tokens with s(t) &lt; <paramref name="tau"/> (the reference's LLaVA-1.5 setting: τ = 0.45).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tau"/> is NaN or infinite.</exception>
    public static KeepRule Threshold(double tau) => double.IsFinite(tau)
        ? new KeepRule(KeepMode.Threshold, tau)
        : throw new ArgumentOutOfRangeException(nameof(tau), tau, "the probe threshold τ must be a finite number");

    /// <summary>Keep the round(N·<paramref name="ratio"/>) tokens with the lowest s(t), in their original order.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="ratio"/> is outside [0, 1] or NaN.</exception>
    public static KeepRule Ratio(double ratio) => ratio is >= 0 and <= 1
        ? new KeepRule(KeepMode.Ratio, ratio)
        : throw new ArgumentOutOfRangeException(nameof(ratio), ratio, "the probe keep ratio must lie in [0, 1]");

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{(Mode == KeepMode.Threshold ? "threshold" : "ratio")} {Value}");
}
