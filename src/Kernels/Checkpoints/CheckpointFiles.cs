namespace Mining.Kernels.Checkpoints;

/// <summary>The files of a Hugging Face LLaVA checkpoint directory, located and checked to exist.</summary>
/// <remarks><see cref="Tokenizer"/> is <c>tokenizer.model</c> (SentencePiece) when the folder has one, else <c>tokenizer.json</c>; which one a family needs is the tokenizer's to check.</remarks>
public sealed record CheckpointFiles(string Directory, string Config, string Preprocessor, string Tokenizer, string Weights)
{
    /// <summary>Name of the single-file weights.</summary>
    public const string SingleWeightsFile = "model.safetensors";

    /// <summary>Name of the index of sharded weights.</summary>
    public const string WeightsIndexFile = "model.safetensors.index.json";

    /// <summary>Finds every file a checkpoint needs; the first one missing raises <see cref="CheckpointException"/> naming it.</summary>
    public static CheckpointFiles Locate(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            throw new CheckpointException($"model directory '{directory}' does not exist");
        }

        string Required(string name, string what)
        {
            var path = Path.Combine(directory, name);
            return File.Exists(path)
                ? path
                : throw new CheckpointException($"{path}: missing {what} ('{name}' is required in a Hugging Face LLaVA checkpoint directory)");
        }

        var config = Required("config.json", "model configuration");
        var preprocessor = Required("preprocessor_config.json", "image processor configuration");
        var sentencePiece = Path.Combine(directory, "tokenizer.model");
        var fastTokenizer = Path.Combine(directory, "tokenizer.json");
        var tokenizer = File.Exists(sentencePiece) ? sentencePiece
            : File.Exists(fastTokenizer) ? fastTokenizer
            : throw new CheckpointException($"{sentencePiece}: missing tokenizer (a Hugging Face LLaVA checkpoint directory holds 'tokenizer.model' or 'tokenizer.json')");
        var index = Path.Combine(directory, WeightsIndexFile);
        var single = Path.Combine(directory, SingleWeightsFile);
        var weights = File.Exists(index) ? index
            : File.Exists(single) ? single
            : throw new CheckpointException($"{directory}: missing weights (neither '{SingleWeightsFile}' nor '{WeightsIndexFile}' exists)");
        return new CheckpointFiles(directory, config, preprocessor, tokenizer, weights);
    }
}
