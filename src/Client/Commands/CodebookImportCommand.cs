using System.CommandLine;
using System.Globalization;
using Mining.Kernels.Codebooks;
using Mining.Kernels.IO;
using Mining.Kernels.Model;
using Mining.Probe.Codebooks;

namespace Mining.Client.Commands;

/// <summary><c>mining codebook import</c>: a codebook saved as .npy or as the reference's PyTorch file, to Parquet v1.</summary>
internal static class CodebookImportCommand
{
    public static Command Create()
    {
        var npy = new Option<string?>("--npy") { Description = "Prototypes as a [rows, D] float16 or float32 .npy (v1.0 or v2.0 header)." };
        var pt = new Option<string?>("--pt") { Description = "Prototypes as the one [rows, D] float16 or float32 tensor torch.save wrote (the reference's released codebooks are such files); read without PyTorch." };
        var sourceIds = new Option<string?>("--source-ids") { Description = "JSON array with the source image id of each row (the reference releases one beside each codebook)." };
        var model = new Option<string>("--model")
        {
            Description = "Model id to record in the codebook (e.g. llava-hf/llava-1.5-7b-hf), or the checkpoint folder: then its config.json gives the id, the family and the hidden size the rows must have.",
            Required = true,
        };
        var family = new Option<string?>("--family")
        {
            Description = "Model family the prototypes belong to, recorded so that 'probe --model DIR' can check it: llava (LLaVA-1.5), onevision (LLaVA-OneVision), next (LLaVA-NeXT). Default: the checkpoint's, with --model DIR; else none recorded.",
        };
        family.AcceptOnlyFromAmong([.. ModelFamily.All.Select(f => f.Name)]);
        var preset = new Option<string?>("--preset")
        {
            Description = "Mining preset to record (needs a family). Default: the family's: llava-1.5-7b, llava-onevision-qwen2-7b or llava-next-llama3-8b.",
        };
        var output = new Option<string>("--out") { Description = "Codebook Parquet file to write.", Required = true };
        var force = ForceOption.Create();
        var command = new Command("import", "Convert a codebook saved as .npy, or as the PyTorch file the paper's authors released, into Parquet v1, recording its model family and preset when known.")
        {
            npy, pt, sourceIds, model, family, preset, output, force,
        };

        // Presence, not value, as probe's --ratio/--threshold rule.
        command.Validators.Add(result =>
        {
            if ((result.GetResult(npy) is null) == (result.GetResult(pt) is null))
            {
                result.AddError("give exactly one of --npy and --pt");
            }
        });
        command.SetAction(result => CommandFailure.Guard(() =>
        {
            var path = result.GetValue(output)!;
            var (input, option) = result.GetValue(npy) is { } n ? (n, "--npy") : (result.GetValue(pt)!, "--pt");
            OutputFile.RequireWritable(path, "--out", result.GetValue(force));
            OutputFile.RequireNotInput(input, path, "--out");
            if (Directory.Exists(input))
            {
                throw new ArgumentException($"{option} '{input}' is a folder; expected the codebook file");
            }

            var reference = ModelReference.Parse(result.GetValue(model)!, "--model");
            var named = result.GetValue(family) is { } name ? ModelFamily.Named(name) : null;
            if (named is not null && reference.Checkpoint is { } checkpoint && named != checkpoint.Family)
            {
                throw new ArgumentException($"--family {named.Name} disagrees with --model '{checkpoint.Folder}', whose config.json is of family {checkpoint.Family.Name}");
            }

            var chosen = named ?? reference.Checkpoint?.Family;
            if (result.GetValue(preset) is { } p && chosen is null)
            {
                throw new ArgumentException($"--preset {p} needs the codebook's family: give --family or --model DIR");
            }

            var codebook = option == "--npy"
                ? CodebookImport.FromNpy(input, result.GetValue(sourceIds), reference.Id, chosen, result.GetValue(preset))
                : CodebookImport.FromTorch(input, result.GetValue(sourceIds), reference.Id, chosen, result.GetValue(preset));
            reference.Checkpoint?.Requirement.Check(codebook, input);
            if (reference.IdFromFolderName)
            {
                InputPaths.WarnOnFolderNameId(result.GetValue(model)!, null);
            }

            CodebookParquet.Write(codebook, path);
            var metadata = codebook.Metadata;
            var labels = metadata.Family is null ? "" : $", family {metadata.Family}, preset {metadata.Preset}";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {path}: {codebook.Count} prototypes × {metadata.HiddenSize}{labels}"));
            return 0;
        }));
        return command;
    }
}
