namespace Mining.Probe.Codebooks;

/// <summary>What the caller's model needs of a codebook: its model id and its hidden size, each checked when given.</summary>
/// <param name="Model">The caller's model id (e.g. <c>llava-hf/llava-1.5-7b-hf</c>); null accepts any. Compared
/// ignoring case, as Hugging Face repository ids are.</param>
/// <param name="HiddenSize">The width of the caller's visual tokens; null accepts any.</param>
public sealed record CodebookRequirement(string? Model = null, int? HiddenSize = null)
{
    /// <summary>Accepts every codebook.</summary>
    public static CodebookRequirement None { get; } = new();

    /// <summary>Checks <paramref name="codebook"/>, read from <paramref name="source"/> (a path or URL for the message).</summary>
    /// <exception cref="InvalidDataException">The codebook was made for another model or another hidden size.</exception>
    public void Check(Codebook codebook, string source)
    {
        ArgumentNullException.ThrowIfNull(codebook);
        var metadata = codebook.Metadata;
        if (Model is not null && !string.Equals(Model, metadata.Model, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException(
                $"{source}: the codebook was mined for model '{metadata.Model}', but the caller runs '{Model}'; its prototypes live in another embedding space");
        }

        if (HiddenSize is { } hidden && hidden != metadata.HiddenSize)
        {
            throw new InvalidDataException(
                $"{source}: the codebook's hidden size is {metadata.HiddenSize}, but the caller's visual tokens have width {hidden}");
        }
    }
}
