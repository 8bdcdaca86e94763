using System.Globalization;
using Mining.Kernels.Text;

namespace Mining.Kernels.Experiments;

/// <summary>
/// A preset's pad: a token id, or a token string the checkpoint's tokenizer turns into its id (MODELS.md, "Presets":
/// OneVision pads with <c>&lt;|endoftext|&gt;</c>, whose id depends on the vocabulary).
/// </summary>
public sealed record PresetPad
{
    private PresetPad(int? id, string? token)
    {
        Id = id;
        Token = token;
    }

    /// <summary>The pad's id, when the preset gives an id.</summary>
    public int? Id { get; }

    /// <summary>The pad's token string as the vocabulary spells it, when the preset gives a token.</summary>
    public string? Token { get; }

    /// <summary>A pad given as a token id.</summary>
    public static PresetPad OfId(int id) => new(id, null);

    /// <summary>A pad given as a token string, resolved through the checkpoint's tokenizer.</summary>
    public static PresetPad OfToken(string token)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        return new(null, token);
    }

    /// <summary>
    /// The pad's id: the id itself, or the id <paramref name="tokenizer"/> gives the token. A token the tokenizer lacks,
    /// or a token with no tokenizer to ask, raises <see cref="MiningParameterException"/> naming the token and the preset.
    /// </summary>
    /// <param name="tokenizer">The checkpoint's tokenizer, asked for only when the pad is a token; null when none can be read.</param>
    /// <param name="preset">The preset's name, for the message.</param>
    public int Resolve(Func<ITextTokenizer>? tokenizer, string preset)
    {
        if (Id is { } id)
        {
            return id;
        }

        if (tokenizer is null)
        {
            throw new MiningParameterException(
                "--preset",
                $"--preset {preset}: its pad is the token '{Token}', which needs the checkpoint's tokenizer (none could be read); give --pad-token-id");
        }

        return tokenizer().TokenId(Token!) ?? throw new MiningParameterException(
            "--preset",
            $"--preset {preset}: its pad token '{Token}' is not a token of this checkpoint's tokenizer; give --pad-token-id");
    }

    /// <summary>The id, or the token string.</summary>
    public override string ToString() => Id?.ToString(CultureInfo.InvariantCulture) ?? Token!;
}
