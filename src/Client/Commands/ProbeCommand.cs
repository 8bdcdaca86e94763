using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Mining.Kernels.IO;
using Mining.Probe.Codebooks;
using Mining.Probe.Pruning;

namespace Mining.Client.Commands;

/// <summary><c>mining probe</c>: which visual tokens a codebook keeps.</summary>
internal static class ProbeCommand
{
    public static Command Create()
    {
        var codebook = new Option<string>("--codebook") { Description = "Codebook Parquet file.", Required = true };
        var tokens = new Option<string>("--tokens") { Description = "Visual tokens as an [N, D] float16 or float32 .npy (D = the codebook's hidden size).", Required = true };
        var ratio = new Option<double?>("--ratio") { Description = "Keep the round(N·ratio) tokens least similar to any prototype, in their original order." };
        var threshold = new Option<double?>("--threshold") { Description = "Keep the tokens whose maximum cosine to the prototypes is below this (the reference's LLaVA-1.5 setting: 0.45)." };
        var json = new Option<bool>("--json") { Description = "Print {keep: [ascending indices], max_similarity: [one per token]}." };
        var command = new Command("probe", "Prune visual tokens with a codebook: s(t) = max cosine to any prototype; keep by threshold or by ratio.")
        {
            codebook, tokens, ratio, threshold, json,
        };

        // Presence, not value: reading the value of an option that did not parse ("--ratio abc") would throw.
        command.Validators.Add(result =>
        {
            if ((result.GetResult(ratio) is null) == (result.GetResult(threshold) is null))
            {
                result.AddError("give exactly one of --ratio and --threshold");
            }
        });
        command.SetAction(result => CommandFailure.Guard(() =>
        {
            // Ranges are checked here, after parsing (a validator would read values that may not have parsed), and
            // not left to PrototypeProbe, whose ArgumentOutOfRangeException names a C# parameter.
            var keepRatio = result.GetValue(ratio);
            if (keepRatio is { } r && !(r >= 0 && r <= 1))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--ratio must lie in [0, 1], got {r}"));
            }

            var tau = result.GetValue(threshold);
            if (tau is { } t && !double.IsFinite(t))
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"--threshold must be a finite number, got {t}"));
            }

            var codebookPath = result.GetValue(codebook)!;
            var book = CodebookParquet.Read(codebookPath);
            if (book.Count == 0)
            {
                throw new InvalidDataException($"{codebookPath}: the codebook has no prototypes, so it cannot score tokens");
            }

            var tokensPath = result.GetValue(tokens)!;
            var array = NpyFile.Read(tokensPath);
            if (array.Shape.Length != 2 || (array.DType != NpyDType.Float16 && array.DType != NpyDType.Float32))
            {
                throw new InvalidDataException($"{tokensPath}: tokens must be a 2-D float16 or float32 array [N, D], got {array.DType} [{string.Join(", ", array.Shape)}]");
            }

            if (array.Shape[1] != book.Metadata.HiddenSize)
            {
                throw new InvalidDataException($"{tokensPath}: tokens have width {array.Shape[1]} but the codebook's hidden size is {book.Metadata.HiddenSize}");
            }

            var values = array.ToFloat32();
            var n = array.Shape[0];
            var probe = PrototypeProbe.FromCodebook(book);
            var keep = keepRatio is { } fraction
                ? probe.KeepByRatio(values, n, fraction)
                : probe.KeepByThreshold(values, n, tau!.Value);
            if (result.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new { keep, max_similarity = probe.MaxSimilarity(values, n) }, CliJson.Options));
            }
            else
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"keep {keep.Length} of {n} tokens: {string.Join(' ', keep)}"));
            }

            return 0;
        }));
        return command;
    }
}
