using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
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
        var tokens = new Option<string>("--tokens") { Description = "Visual tokens as a float16 or float32 .npy: [N, D] for one image, [B, N, D] for a batch of images or frames (D = the codebook's hidden size).", Required = true };
        var ratio = new Option<double?>("--ratio") { Description = "Keep the round(N·ratio) tokens least similar to any prototype, in their original order." };
        var threshold = new Option<double?>("--threshold") { Description = "Keep the tokens whose maximum cosine to the prototypes is below this (the reference's LLaVA-1.5 setting: 0.45)." };
        var model = new Option<string?>("--model")
        {
            Description = "The model the tokens come from: a model id (a codebook recorded for another id is refused), or its checkpoint folder (a codebook of another family, when it records one, or of another hidden size than config.json's is refused).",
        };
        var json = new Option<bool>("--json") { Description = "Print {keep: [ascending indices], max_similarity: [one per token]} (for a batch, one list per image)." };
        var command = new Command("probe", "Prune visual tokens with a codebook: s(t) = max cosine to any prototype; keep by threshold or by ratio.")
        {
            codebook, tokens, ratio, threshold, model, json,
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

            // The codebook is checked against the model before the tokens, so a wrong pairing is named as such.
            if (result.GetValue(model) is { } named)
            {
                var reference = ModelReference.Parse(named, "--model");
                (reference.Checkpoint?.Requirement ?? new CodebookRequirement(reference.Id)).Check(book, codebookPath);
            }

            var tokensPath = result.GetValue(tokens)!;
            var array = NpyFile.Read(tokensPath);
            if (array.Shape.Length is not (2 or 3) || (array.DType != NpyDType.Float16 && array.DType != NpyDType.Float32))
            {
                throw new InvalidDataException($"{tokensPath}: tokens must be a float16 or float32 array [N, D] (one image) or [B, N, D] (a batch), got {array.DType} [{string.Join(", ", array.Shape)}]");
            }

            var width = array.Shape[^1];
            if (width != book.Metadata.HiddenSize)
            {
                throw new InvalidDataException($"{tokensPath}: tokens have width {width} but the codebook's hidden size is {book.Metadata.HiddenSize}");
            }

            var probe = PrototypeProbe.FromCodebook(book);
            var rule = keepRatio is { } fraction ? KeepRule.Ratio(fraction) : KeepRule.Threshold(tau!.Value);
            var images = array.Shape.Length == 3 ? array.Shape[0] : 1;
            var perImage = array.Shape[^2];
            var total = images * perImage;

            // Float16 tokens go to the probe as they are (it widens them exactly); the bytes are little-endian, as .npy's '<f2' and '<f4' say.
            var scores = new float[total];
            if (array.DType == NpyDType.Float16)
            {
                probe.MaxSimilarity(MemoryMarshal.Cast<byte, Half>(array.Data), total, scores);
            }
            else
            {
                probe.MaxSimilarity(MemoryMarshal.Cast<byte, float>(array.Data), total, scores);
            }

            var keep = Enumerable.Range(0, images).Select(i => PrototypeProbe.Keep(scores.AsSpan(i * perImage, perImage), rule)).ToArray();
            if (result.GetValue(json))
            {
                object document = array.Shape.Length == 2
                    ? new { keep = keep[0], max_similarity = scores }
                    : new { keep, max_similarity = Enumerable.Range(0, images).Select(i => scores[(i * perImage)..((i + 1) * perImage)]).ToArray() };
                Console.WriteLine(JsonSerializer.Serialize(document, CliJson.Options));
            }
            else
            {
                for (var i = 0; i < images; i++)
                {
                    var prefix = images == 1 ? "" : string.Create(CultureInfo.InvariantCulture, $"image {i}: ");
                    if (keep[i].Length == 0)
                    {
                        // "keep 0 of 64 tokens:" and nothing after it reads as a truncated line.
                        var lowest = scores.AsSpan(i * perImage, perImage).ToArray().Min();
                        var why = tau is { } cut
                            ? $"every token's similarity to the codebook is at least {lowest:F4}, none below --threshold {cut}"
                            : "--ratio keeps none";
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{prefix}keep 0 of {perImage} tokens: none ({why})"));
                        continue;
                    }

                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{prefix}keep {keep[i].Length} of {perImage} tokens: {string.Join(' ', keep[i])}"));
                }
            }

            return 0;
        }));
        return command;
    }
}
