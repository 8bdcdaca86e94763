namespace Mining.Kernels.Model;

/// <summary>Variant <see cref="Variant"/> of request <see cref="Request"/> in a scoring call.</summary>
public readonly record struct VariantSlot(int Request, int Variant);
