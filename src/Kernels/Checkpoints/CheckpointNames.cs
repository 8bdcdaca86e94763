namespace Mining.Kernels.Checkpoints;

/// <summary>Maps tensor names between the two LLaVA layouts; canonical names are the <see cref="CheckpointLayout.Published"/> ones.</summary>
/// <remarks>The Current prefixes are transformers' <c>LlavaForConditionalGeneration._checkpoint_conversion_mapping</c> (4.52+), read in reverse.</remarks>
public static class CheckpointNames
{
    // (published prefix, current prefix); lm_head is an exact name, the rest are prefixes of dotted names.
    private static readonly (string Published, string Current)[] Prefixes =
    [
        ("language_model.model.", "model.language_model."),
        ("vision_tower.", "model.vision_tower."),
        ("multi_modal_projector.", "model.multi_modal_projector."),
    ];

    private const string PublishedLmHead = "language_model.lm_head.weight";
    private const string CurrentLmHead = "lm_head.weight";
    private const string CurrentImageNewline = "model.image_newline";

    /// <summary>LLaVA-NeXT's newline embedding, canonical (published) name; stored as <c>model.image_newline</c> in the current layout.</summary>
    public const string ImageNewline = "image_newline";

    /// <summary>The layout a stored name belongs to, or null when it belongs to neither (a name Mining does not use).</summary>
    public static CheckpointLayout? LayoutOf(string storedName)
    {
        if (storedName is CurrentLmHead or CurrentImageNewline || Prefixes.Any(p => storedName.StartsWith(p.Current, StringComparison.Ordinal)))
        {
            return CheckpointLayout.Current;
        }

        if (storedName is PublishedLmHead or ImageNewline || Prefixes.Any(p => storedName.StartsWith(p.Published, StringComparison.Ordinal)))
        {
            return CheckpointLayout.Published;
        }

        return null;
    }

    /// <summary>The canonical name of <paramref name="storedName"/> in <paramref name="layout"/>, or null when the name does not belong to that layout.</summary>
    public static string? ToCanonical(string storedName, CheckpointLayout layout)
    {
        if (LayoutOf(storedName) != layout)
        {
            return null;
        }

        if (layout == CheckpointLayout.Published)
        {
            return storedName;
        }

        if (storedName == CurrentLmHead)
        {
            return PublishedLmHead;
        }

        if (storedName == CurrentImageNewline)
        {
            return ImageNewline;
        }

        var (published, current) = Prefixes.First(p => storedName.StartsWith(p.Current, StringComparison.Ordinal));
        return published + storedName[current.Length..];
    }

    /// <summary>The name <paramref name="canonicalName"/> is stored under in <paramref name="layout"/>.</summary>
    public static string FromCanonical(string canonicalName, CheckpointLayout layout)
    {
        if (LayoutOf(canonicalName) != CheckpointLayout.Published)
        {
            throw new ArgumentException($"'{canonicalName}' is not a canonical LLaVA tensor name (language_model.*, vision_tower.*, multi_modal_projector.*)", nameof(canonicalName));
        }

        if (layout == CheckpointLayout.Published)
        {
            return canonicalName;
        }

        if (canonicalName == PublishedLmHead)
        {
            return CurrentLmHead;
        }

        if (canonicalName == ImageNewline)
        {
            return CurrentImageNewline;
        }

        var (published, current) = Prefixes.First(p => canonicalName.StartsWith(p.Published, StringComparison.Ordinal));
        return current + canonicalName[published.Length..];
    }

    /// <summary>
    /// The one layout all LLaVA names in <paramref name="storedNames"/> follow; names of neither layout are ignored.
    /// A mix of both, or no LLaVA name at all, raises <see cref="CheckpointException"/> naming <paramref name="source"/>.
    /// </summary>
    public static CheckpointLayout Detect(IEnumerable<string> storedNames, string source)
    {
        var published = new List<string>();
        var current = new List<string>();
        foreach (var name in storedNames)
        {
            switch (LayoutOf(name))
            {
                case CheckpointLayout.Published:
                    published.Add(name);
                    break;
                case CheckpointLayout.Current:
                    current.Add(name);
                    break;
            }
        }

        if (published.Count > 0 && current.Count > 0)
        {
            throw new CheckpointException(
                $"{source}: tensor names mix the published LLaVA layout ({published.Count}, e.g. '{published[0]}') and the current transformers layout " +
                $"({current.Count}, e.g. '{current[0]}'); a checkpoint must use one");
        }

        if (published.Count == 0 && current.Count == 0)
        {
            throw new CheckpointException(
                $"{source}: no tensor follows either LLaVA layout (published: language_model.*, vision_tower.*, multi_modal_projector.*; " +
                "current transformers: model.language_model.*, model.vision_tower.*, model.multi_modal_projector.*, lm_head.weight): not a LLaVA checkpoint");
        }

        return published.Count > 0 ? CheckpointLayout.Published : CheckpointLayout.Current;
    }
}
