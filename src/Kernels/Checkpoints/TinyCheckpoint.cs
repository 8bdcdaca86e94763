using Mining.Kernels.Imaging;
using Mining.Kernels.Text;

namespace Mining.Kernels.Checkpoints;

/// <summary>Writes a complete tiny LLaVA checkpoint: config and random weights, a small SentencePiece tokenizer, and the CLIP image processor settings.</summary>
public static class TinyCheckpoint
{
    /// <summary>Pieces of the tiny tokenizer; ids from here up are LLaVA's added tokens (&lt;image&gt;, &lt;pad&gt;).</summary>
    public const int TokenizerPieces = 400;

    /// <summary>Writes every file of the checkpoint into <paramref name="directory"/>; the result loads like a downloaded one.</summary>
    public static void Create(TinyCheckpointSpec spec, string directory)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.VocabSize < TokenizerPieces + 2)
        {
            throw new ArgumentException($"--vocab must be at least {TokenizerPieces + 2} (a {TokenizerPieces}-piece tokenizer plus <image> and <pad>), got {spec.VocabSize}", nameof(spec));
        }

        TinyCheckpointWeights.Write(spec, directory);
        if (spec.ModelId is { } id)
        {
            CheckpointModelId.Write(directory, id);
        }

        SentencePieceModelWriter.WriteTinyLlamaTokenizer(directory, TokenizerPieces);
        var side = spec.Grid * spec.PatchSize;
        new PreprocessorConfig { ShortestEdge = side, CropHeight = side, CropWidth = side }
            .Save(Path.Combine(directory, "preprocessor_config.json"));
    }
}
