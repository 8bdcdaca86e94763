using System.Globalization;
using System.Text;

namespace Mining.Kernels.Checkpoints;

/// <summary>What <c>mining model info</c> reports about a checkpoint directory.</summary>
public sealed record CheckpointSummary(
    string Directory,
    string Layout,
    IReadOnlyList<string> WeightFiles,
    IReadOnlyList<string> DTypes,
    long Parameters,
    int ImageSize,
    int PatchSize,
    int Grid,
    int VisualTokens,
    int VisionHidden,
    int VisionLayers,
    int VisionHeads,
    int TextHidden,
    int TextLayers,
    int TextHeads,
    int TextKvHeads,
    int TextIntermediate,
    int Vocab,
    int VisionFeatureLayer,
    string ProjectorHiddenAct,
    string Family = "llava",
    string VisionTower = "CLIP",
    string LanguageModel = "LLaMA")
{
    /// <summary>Reads config.json and the weights' headers (no tensor data) of <paramref name="directory"/>.</summary>
    public static CheckpointSummary Read(string directory)
    {
        var files = CheckpointFiles.Locate(directory);
        var config = LlavaConfig.Load(files.Config);
        using var weights = CheckpointWeights.Open(directory);
        var infos = weights.Names.Select(weights.Info).ToArray();
        var parameters = infos.Sum(i => i.Shape.Aggregate(1L, (a, b) => a * b));
        return new CheckpointSummary(
            Path.GetFullPath(directory),
            weights.Layout.ToString().ToLowerInvariant(),
            weights.Files.Select(Path.GetFileName).ToArray()!,
            infos.Select(i => i.DType.ToString()).Distinct().Order(StringComparer.Ordinal).ToArray(),
            parameters,
            config.Vision.ImageSize,
            config.Vision.PatchSize,
            config.Vision.GridSize,
            config.Vision.NumPatches,
            config.Vision.HiddenSize,
            config.Vision.NumHiddenLayers,
            config.Vision.NumAttentionHeads,
            config.Text.HiddenSize,
            config.Text.NumHiddenLayers,
            config.Text.NumAttentionHeads,
            config.Text.NumKeyValueHeads,
            config.Text.IntermediateSize,
            config.Text.VocabSize,
            config.VisionFeatureLayer,
            config.ProjectorHiddenAct,
            Model.ModelFamily.Of(config).Name,
            config.Vision.IsSiglip ? "SigLIP" : "CLIP",
            config.Text.IsQwen2 ? "Qwen2" : "LLaMA");
    }

    /// <summary>One line: grid, sizes and parameter count.</summary>
    public string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Family}: {Grid}×{Grid} visual tokens ({ImageSize} px / {PatchSize} px patches), vision {VisionHidden}×{VisionLayers}, text {TextHidden}×{TextLayers} ({TextHeads} heads, {TextKvHeads} kv), vocab {Vocab}, {string.Join("/", DTypes)}, {Parameters:N0} parameters");

    /// <summary>A readable multi-line summary.</summary>
    public string ToText()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"checkpoint        {Directory}");
        text.AppendLine(CultureInfo.InvariantCulture, $"layout            {Layout} ({string.Join(", ", WeightFiles)})");
        text.AppendLine(CultureInfo.InvariantCulture, $"dtype             {string.Join(", ", DTypes)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"family            {Family}");
        text.AppendLine(CultureInfo.InvariantCulture, $"parameters        {Parameters:N0}");
        text.AppendLine(CultureInfo.InvariantCulture, $"vision            {VisionTower} {ImageSize} px, {PatchSize} px patches → {Grid}×{Grid} = {VisualTokens} tokens; hidden {VisionHidden}, {VisionLayers} layers, {VisionHeads} heads; feature layer {VisionFeatureLayer}");
        text.AppendLine(CultureInfo.InvariantCulture, $"projector         {VisionHidden} → {TextHidden} → {TextHidden} ({ProjectorHiddenAct})");
        text.Append(CultureInfo.InvariantCulture, $"language model    {LanguageModel} hidden {TextHidden}, {TextLayers} layers, {TextHeads} heads, {TextKvHeads} key/value heads, MLP {TextIntermediate}, vocabulary {Vocab}");
        return text.ToString();
    }
}
