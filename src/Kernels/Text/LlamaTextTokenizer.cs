using System.Globalization;
using System.Text;
using Microsoft.ML.Tokenizers;

namespace Mining.Kernels.Text;

/// <summary>The LLaMA SentencePiece tokenizer of a Hugging Face checkpoint folder (<c>tokenizer.model</c>).</summary>
/// <remarks>
/// Encoding is Microsoft.ML.Tokenizers' <see cref="LlamaTokenizer"/>; this class validates the file first (so a
/// bad file fails with its name, not with a protobuf exception), reads the special-token names from
/// <c>tokenizer_config.json</c> when it is there, and decodes ids itself so that ids above the SentencePiece
/// vocabulary (LLaVA's added <c>&lt;image&gt;</c> and <c>&lt;pad&gt;</c>) print instead of throwing.
/// This family reads <c>tokenizer.model</c> only: a folder with just a fast-tokenizer <c>tokenizer.json</c> is refused,
/// because every LLaMA-2 / LLaVA-1.5 checkpoint ships the SentencePiece file and its ids are the reference. The
/// byte-level BPE families (LLaMA-3, Qwen2) read <c>tokenizer.json</c> through <see cref="ByteLevelBpeTokenizer"/>.
/// </remarks>
public sealed class LlamaTextTokenizer : ITextTokenizer
{
    /// <summary>The answer token the reference's caption script skips for LLaVA-1.5 (MODELS.md).</summary>
    public const string LeadingAnswerPiece = "▁A";

    public const string ModelFileName = "tokenizer.model";
    public const string ConfigFileName = "tokenizer_config.json";
    public const string FastTokenizerFileName = "tokenizer.json";

    private readonly SentencePieceTokenizer _tokenizer;
    private readonly SentencePieceModel _model;
    private readonly IReadOnlyDictionary<int, string> _addedTokens;
    private readonly IReadOnlyDictionary<string, int> _pieceIds;

    private LlamaTextTokenizer(
        SentencePieceTokenizer tokenizer,
        SentencePieceModel model,
        IReadOnlyDictionary<string, int> pieceIds,
        int bosId,
        int eosId,
        int unkId,
        IReadOnlyDictionary<int, string> addedTokens)
    {
        _tokenizer = tokenizer;
        _model = model;
        _pieceIds = pieceIds;
        BosId = bosId;
        EosId = eosId;
        UnkId = unkId;
        _addedTokens = addedTokens;
    }

    /// <summary>Id of the begin-of-sentence token <c>&lt;s&gt;</c>.</summary>
    public int BosId { get; }

    /// <summary>Id of the end-of-sentence token <c>&lt;/s&gt;</c>.</summary>
    public int EosId { get; }

    /// <summary>Id of the unknown token <c>&lt;unk&gt;</c>.</summary>
    public int UnkId { get; }

    /// <inheritdoc/>
    public TokenizerFamily Family => TokenizerFamily.SentencePiece;

    /// <inheritdoc/>
    int? ITextTokenizer.BosId => BosId;

    /// <inheritdoc/>
    int? ITextTokenizer.EosId => EosId;

    /// <inheritdoc/>
    public IReadOnlyList<string> DefaultSkipLeadingTokens => ITextTokenizer.DefaultSkipLeadingTokensOf(Family);

    /// <summary>Number of pieces in the SentencePiece model (added tokens such as LLaVA's <c>&lt;image&gt;</c> lie above it).</summary>
    public int VocabularySize => _model.Pieces.Count;

    /// <summary>Loads <c>tokenizer.model</c> (and <c>tokenizer_config.json</c> if present) from a checkpoint folder.</summary>
    /// <exception cref="TokenizerException">The model file is missing or not a SentencePiece model, or the config is malformed.</exception>
    public static LlamaTextTokenizer Load(string modelDirectory)
    {
        var modelPath = Path.Combine(modelDirectory, ModelFileName);
        if (!File.Exists(modelPath))
        {
            var fastPath = Path.Combine(modelDirectory, FastTokenizerFileName);
            throw new TokenizerException(File.Exists(fastPath)
                ? $"{modelPath}: {ModelFileName} is missing; the folder has {FastTokenizerFileName}, but only the " +
                  $"SentencePiece {ModelFileName} is supported for a LLaMA-2 / Vicuna (LLaVA-1.5) checkpoint"
                : $"{modelPath}: {ModelFileName} is missing");
        }

        var bytes = ReadAllBytes(modelPath);
        var model = SentencePieceModel.Parse(bytes, modelPath);
        if (model.ModelType != SentencePieceModelType.Bpe)
        {
            throw new TokenizerException(
                $"{modelPath}: trainer_spec.model_type is {model.ModelType}; the LLaMA tokenizer is a BPE model");
        }

        if (model.TreatWhitespaceAsSuffix)
        {
            throw new TokenizerException(
                $"{modelPath}: trainer_spec.treat_whitespace_as_suffix is set; the LLaMA tokenizer puts \"▁\" before words");
        }

        SentencePieceTokenizer tokenizer;
        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            tokenizer = LlamaTokenizer.Create(stream, addBeginOfSentence: false, addEndOfSentence: false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // ML.Tokenizers reports malformed models with protobuf, argument or index exceptions; rewrap with the file.
            throw new TokenizerException($"{modelPath}: Microsoft.ML.Tokenizers cannot load the SentencePiece model: {e.Message}", e);
        }

        var config = TokenizerConfig.Read(Path.Combine(modelDirectory, ConfigFileName));
        var pieceIds = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var id = 0; id < model.Pieces.Count; id++)
        {
            pieceIds.TryAdd(model.Pieces[id].Piece, id);
        }

        int SpecialId(string? name, int modelId, string field)
        {
            if (name is null)
            {
                return modelId;
            }

            return pieceIds.TryGetValue(name, out var id)
                ? id
                : throw new TokenizerException(
                    $"{config.Path}: {field} \"{name}\" is not a piece of {modelPath}");
        }

        var addedTokens = config.AddedTokens
            .Where(pair => pair.Key >= model.Pieces.Count)
            .ToDictionary(pair => pair.Key, pair => pair.Value);
        return new LlamaTextTokenizer(
            tokenizer,
            model,
            pieceIds,
            SpecialId(config.BosToken, model.BosId, "bos_token"),
            SpecialId(config.EosToken, model.EosId, "eos_token"),
            SpecialId(config.UnkToken, model.UnkId, "unk_token"),
            addedTokens);
    }

    /// <summary>
    /// The SentencePiece ids of one text chunk encoded on its own: with the dummy-prefix "▁", without
    /// <c>&lt;s&gt;</c> or <c>&lt;/s&gt;</c> — what HF's slow <c>LlamaTokenizer</c> (legacy=true) produces for a chunk.
    /// </summary>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            // sentencepiece adds no dummy prefix to empty input: "" encodes to no ids.
            return [];
        }

        int[] ids = [.. _tokenizer.EncodeToIds(text, addBeginningOfSentence: false, addEndOfSentence: false)];
        foreach (var id in ids)
        {
            if (id < 0 || id >= _model.Pieces.Count)
            {
                // Load validates what Microsoft.ML.Tokenizers relies on; an id outside the vocabulary is a bug, not bad input.
                throw new InvalidOperationException($"the tokenizer produced id {id} outside the {_model.Pieces.Count}-piece vocabulary");
            }
        }

        return ids;
    }

    /// <summary><c>&lt;s&gt;</c> followed by <see cref="Encode"/>: what HF's <c>LlamaTokenizer</c> (add_bos_token=True) gives for <c>tokenizer(text)</c>.</summary>
    public int[] EncodeWithSpecialTokens(string text) => [BosId, .. Encode(text)];

    /// <summary>The id of a SentencePiece piece ("▁A", "&lt;0x0A&gt;") or of an added token ("&lt;image&gt;"); null when there is none.</summary>
    public int? TokenId(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (_pieceIds.TryGetValue(token, out var id))
        {
            return id;
        }

        foreach (var (addedId, content) in _addedTokens)
        {
            if (content == token)
            {
                return addedId;
            }
        }

        return null;
    }

    /// <summary>The raw piece of an id ("▁the", "&lt;0x0A&gt;"); an added token's text or "&lt;id N&gt;" above the vocabulary.</summary>
    public string IdToPiece(int id)
    {
        if (id >= 0 && id < _model.Pieces.Count)
        {
            return _model.Pieces[id].Piece;
        }

        return _addedTokens.TryGetValue(id, out var content) ? content : UnknownIdText(id);
    }

    /// <summary>The text of one id, as <see cref="Decode(IReadOnlyList{int})"/> renders it (for printing top tokens).</summary>
    public string Decode(int id) => Decode([id]);

    /// <summary>
    /// The text of a sequence of ids: "▁" becomes a space, byte pieces are reassembled into UTF-8, and the
    /// dummy-prefix space of the first piece is dropped (as sentencepiece's decoder does). Control and unknown
    /// pieces render as their piece text ("&lt;s&gt;"), added tokens as their content, other ids as "&lt;id N&gt;";
    /// invalid UTF-8 from byte pieces becomes U+FFFD.
    /// </summary>
    public string Decode(IReadOnlyList<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var text = new StringBuilder();
        var pendingBytes = new List<byte>();
        for (var i = 0; i < ids.Count; i++)
        {
            var id = ids[i];
            if (id >= 0 && id < _model.Pieces.Count && _model.Pieces[id].Type == SentencePieceType.Byte)
            {
                pendingBytes.Add(ParseBytePiece(_model.Pieces[id].Piece));
                continue;
            }

            FlushBytes();
            var piece = IdToPiece(id);
            if (id >= 0 && id < _model.Pieces.Count && _model.Pieces[id].Type is SentencePieceType.Normal or SentencePieceType.UserDefined)
            {
                piece = piece.Replace('▁', ' ');
                if (i == 0 && _model.AddDummyPrefix && piece.StartsWith(' '))
                {
                    piece = piece[1..];
                }
            }

            text.Append(piece);
        }

        FlushBytes();
        return text.ToString();

        void FlushBytes()
        {
            if (pendingBytes.Count > 0)
            {
                text.Append(Encoding.UTF8.GetString([.. pendingBytes]));
                pendingBytes.Clear();
            }
        }
    }

    private static string UnknownIdText(int id) => $"<id {id.ToString(CultureInfo.InvariantCulture)}>";

    /// <summary>A byte piece is spelled "&lt;0xNN&gt;" (sentencepiece's ByteToPiece).</summary>
    /// <remarks>Load has checked the spelling of every byte piece (<see cref="SentencePieceModel.Parse"/>).</remarks>
    private static byte ParseBytePiece(string piece) =>
        byte.Parse(piece.AsSpan(3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static byte[] ReadAllBytes(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TokenizerException($"{path}: cannot read {ModelFileName}: {e.Message}", e);
        }
    }
}
