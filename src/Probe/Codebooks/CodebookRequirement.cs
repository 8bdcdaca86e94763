namespace Mining.Probe.Codebooks;

/// <summary>What the caller's model needs of a codebook: its model id, its hidden size and its family, each checked when given.</summary>
/// <param name="Model">The caller's model id (e.g. <c>llava-hf/llava-1.5-7b-hf</c>); null accepts any. Compared
/// ignoring case, as Hugging Face repository ids are.</param>
/// <param name="HiddenSize">The width of the caller's visual tokens; null accepts any.</param>
/// <param name="Family">The caller's model family (<c>mining.family</c>: "llava", "onevision", "next"); null accepts any.
/// A codebook that records no family (written before the key existed) is checked on its hidden size alone.</param>
public sealed record CodebookRequirement(string? Model = null, int? HiddenSize = null, string? Family = null)
{
    /// <summary>Accepts every codebook.</summary>
    public static CodebookRequirement None { get; } = new();

    /// <summary>How a mismatch names the caller's model (a checkpoint folder, say); null: "the caller's model".</summary>
    public string? Caller { get; init; }

    /// <summary>Checks <paramref name="codebook"/>, read from <paramref name="source"/> (a path or URL for the message).</summary>
    /// <exception cref="InvalidDataException">The codebook was made for another model, another hidden size or another family.</exception>
    public void Check(Codebook codebook, string source)
    {
        ArgumentNullException.ThrowIfNull(codebook);
        var metadata = codebook.Metadata;
        if (Model is not null && !string.Equals(Model, metadata.Model, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException(
                $"{source}: the codebook was mined for model '{metadata.Model}', but the caller runs '{Model}'; its prototypes live in another embedding space");
        }

        // With a family on both sides, one message states both families and both widths, whichever of them differs.
        if (Family is not null)
        {
            var familyDiffers = metadata.Family is { } recorded && !string.Equals(recorded, Family, StringComparison.OrdinalIgnoreCase);
            var widthDiffers = HiddenSize is { } width && width != metadata.HiddenSize;
            if (familyDiffers || widthDiffers)
            {
                var book = metadata.Family is { } f ? $"is for family {f} ({metadata.HiddenSize} wide)" : $"is {metadata.HiddenSize} wide (it records no family)";
                var caller = Caller is null ? "the caller's model" : $"model {Caller}";
                var theirs = HiddenSize is { } h ? $"{Family} ({h})" : Family;
                throw new InvalidDataException($"codebook {source} {book}; {caller} is {theirs}");
            }

            return;
        }

        if (HiddenSize is { } hidden && hidden != metadata.HiddenSize)
        {
            throw new InvalidDataException(
                $"{source}: the codebook's hidden size is {metadata.HiddenSize}, but the caller's visual tokens have width {hidden}");
        }
    }
}
