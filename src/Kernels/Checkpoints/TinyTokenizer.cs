using Mining.Kernels.Model;
using Mining.Kernels.Text;

namespace Mining.Kernels.Checkpoints;

/// <summary>
/// The tokenizer a tiny checkpoint of a family ships (<see cref="TinyCheckpoint"/>), and where its ids sit: LLaVA-1.5 a
/// 400-piece SentencePiece model with <c>&lt;image&gt;</c> 400 and <c>&lt;pad&gt;</c> 401 (as llava-tiny-ref); the byte-level
/// families Mining's own small vocabulary in their conventions (<see cref="ByteLevelBpeConvention"/>): the 256 byte symbols,
/// merges learned from <see cref="TrainingText"/>, then the family's special tokens.
/// </summary>
public sealed class TinyTokenizer
{
    /// <summary>Pieces of the LLaVA-1.5 SentencePiece model; <c>&lt;image&gt;</c> and <c>&lt;pad&gt;</c> follow.</summary>
    public const int SentencePiecePieces = 400;

    /// <summary>Merges of a byte-level vocabulary (the reference fixtures have 360–380).</summary>
    public const int ByteLevelMerges = 384;

    /// <summary>Common English words, image words, digits and punctuation, so that any short English prompt tokenizes into a reasonable number of pieces.</summary>
    private const string CommonText =
        "The image shows a photo of a cat, a dog, a person, a man, a woman, a child, a car, a bus, a train, a bird, a horse, a boat, " +
        "a tree, a house, a street, a room, a table, a chair, a cup of coffee, food, a plate, a flower, the sky, the sea, water, grass, " +
        "a building, a city, a road, a sign, a book, a phone, a computer, a picture, a painting, an animal, a plant, a mountain, snow. " +
        "It is the one that was there and they have been with this from what all were when we can said which their if do will each about " +
        "how up out them then she many some so these would other into has more her two like him see time could no make than first been " +
        "its who now people my made over did down only way find use may long little very after words called just where most know get " +
        "through back much before go good new write our used me too any day same right look think also around another came come work " +
        "three word must because does part even place well such here take why things help put years different away again off went old " +
        "number great tell men say small every found still between name should home big give air line set own under read last never us " +
        "left end along while might next sound below saw something thought both few those always large often together asked world going " +
        "want school important until form keep children feet land side without boy once life enough took four head above kind began " +
        "almost live page got earth need far hand high year mother light country father let night being study second soon story since " +
        "white black red green blue yellow brown gray orange pink purple dark bright ever paper hard near sentence better best across " +
        "during today however sure knew try told young sun thing whole hear example heard several change answer sea against top turned " +
        "learn point play toward five himself usually money seen morning body upon family later turn move face door cut done group true " +
        "leave rock describes describe description provide provides single answer question questions answers helpful assistant user " +
        "system human visual content language vision understand variety tasks natural polite detailed chat curious artificial " +
        "intelligence able you are I am it's don't we'll they're I've he'd. 0 1 2 3 4 5 6 7 8 9 10 12 24 100 2025. " +
        "What? Yes! No; maybe: (one) [two] \"three\" - four / five. Hello, world.\n\n";

    private static readonly Dictionary<string, Lazy<TinyTokenizer>> ByFamily = ModelFamily.All.ToDictionary(
        family => family.Name,
        family => new Lazy<TinyTokenizer>(() => Create(family)));

    private TinyTokenizer(ModelFamily family, int size, int imageTokenId, int? padTokenId, ByteLevelBpeVocabulary? vocabulary, string? processorClass)
    {
        Family = family;
        Size = size;
        ImageTokenId = imageTokenId;
        PadTokenId = padTokenId;
        Vocabulary = vocabulary;
        ProcessorClass = processorClass;
    }

    /// <summary>The family whose conventions the tokenizer follows.</summary>
    public ModelFamily Family { get; }

    /// <summary>Every id the tokenizer uses; the checkpoint's vocabulary must be at least this large.</summary>
    public int Size { get; }

    /// <summary>The id of <c>&lt;image&gt;</c> (config.json's <c>image_token_index</c>).</summary>
    public int ImageTokenId { get; }

    /// <summary>config.json's <c>pad_token_id</c> (llava-hf's added <c>&lt;pad&gt;</c>); null where the family's config has none.</summary>
    public int? PadTokenId { get; }

    /// <summary>The byte-level vocabulary; null for LLaVA-1.5's SentencePiece model.</summary>
    public ByteLevelBpeVocabulary? Vocabulary { get; }

    /// <summary>The vocabulary size a tiny checkpoint of the family has unless told otherwise: <see cref="Size"/> rounded up to a multiple of 64 (LLaVA-1.5: 448).</summary>
    public int DefaultVocabSize => (Size + 63) / 64 * 64;

    private string? ProcessorClass { get; }

    /// <summary>The tiny tokenizer of <paramref name="family"/> (made once per process: learning the merges is deterministic).</summary>
    public static TinyTokenizer Of(ModelFamily family)
    {
        ArgumentNullException.ThrowIfNull(family);
        return ByFamily.TryGetValue(family.Name, out var tokenizer)
            ? tokenizer.Value
            : throw new ArgumentException($"no tiny tokenizer for the family '{family.Name}'", nameof(family));
    }

    /// <summary>
    /// The text the byte-level merges are learned from: the family's prompt (split at its special tokens, which the tokenizer
    /// takes out before BPE) and <see cref="CommonText"/>.
    /// </summary>
    public static string TrainingText(ModelFamily family, ByteLevelBpeConvention convention)
    {
        ArgumentNullException.ThrowIfNull(family);
        ArgumentNullException.ThrowIfNull(convention);
        var prompt = family.Template.ChunkBeforeImage + "\n" + family.Template.ChunkAfterImage;
        var pieces = prompt.Split([.. convention.SpecialTokens], StringSplitOptions.RemoveEmptyEntries);
        return string.Join("\n", pieces) + "\n" + CommonText;
    }

    /// <summary>Writes the tokenizer files into <paramref name="directory"/>.</summary>
    public void Write(string directory)
    {
        if (Vocabulary is null)
        {
            SentencePieceModelWriter.WriteTinyLlamaTokenizer(directory, SentencePiecePieces);
            return;
        }

        ByteLevelBpeTokenizerWriter.Write(directory, Vocabulary, ProcessorClass!);
    }

    private static TinyTokenizer Create(ModelFamily family)
    {
        if (family.Tokenizer == TokenizerFamily.SentencePiece)
        {
            return new TinyTokenizer(family, SentencePiecePieces + 2, SentencePiecePieces, SentencePiecePieces + 1, null, null);
        }

        var (convention, processorClass) = family.Name switch
        {
            "next" => (ByteLevelBpeConvention.Llama3, "LlavaNextProcessor"),
            "onevision" => (ByteLevelBpeConvention.Qwen2, "LlavaOnevisionProcessor"),
            _ => throw new ArgumentException($"no byte-level tokenizer convention for the family '{family.Name}'", nameof(family)),
        };
        var vocabulary = ByteLevelBpeVocabulary.Learn(convention, TrainingText(family, convention), ByteLevelMerges);

        // llava-hf's NeXT config names its added <pad>; OneVision's config has no pad_token_id (Qwen2 pads with <|endoftext|>).
        int? pad = convention.SpecialTokens.Contains("<pad>") ? vocabulary.SpecialId("<pad>") : null;
        return new TinyTokenizer(family, vocabulary.Size, vocabulary.SpecialId("<image>"), pad, vocabulary, processorClass);
    }
}
