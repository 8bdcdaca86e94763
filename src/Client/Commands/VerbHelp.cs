using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace Mining.Client.Commands;

/// <summary>
/// What <c>--help</c> adds after System.CommandLine's own text: an Examples section for every verb, and after the
/// root's help the exit-code table (<see cref="ExitCodes.Table"/>).
/// </summary>
internal static class VerbHelp
{
    /// <summary>Examples by verb path ("" for the root), each a command line and what it does.</summary>
    private static readonly Dictionary<string, (string Line, string What)[]> Examples = new(StringComparer.Ordinal)
    {
        [""] =
        [
            ("./mining demo", "mine the bundled sample images with a tiny random checkpoint"),
            ("./mining mine --images my-images --model my-llava --out codebook.parquet", "my checkpoint and my images"),
            ("./mining mine --help", "the options of one verb"),
        ],
        ["demo"] =
        [
            ("./mining demo", "checkpoint, codebook and per-image results under .out/demo"),
            ("./mining demo --local-silos 3", "the same job spread over three silos"),
            ("./mining demo --family next", "a LLaVA-NeXT (LLaMA-3) demo checkpoint instead, under .out/demo-next"),
        ],
        ["mine"] =
        [
            ("./mining mine --images my-images --model my-llava --out codebook.parquet", "my checkpoint and my images (a folder or a CSV/JSONL manifest)"),
            ("./mining mine --images coco.csv --model llava-1.5-7b-hf --out cb.parquet --results images.parquet --device cuda", "also keep every candidate's measurements"),
            ("./mining mine --images samples/images --model .out/demo/model --out cb.parquet --min-unique-images 2 --all-tokens", "a small image set: lower the unique-image condition"),
            ("./mining mine --images coco.csv --model llava-1.5-13b-hf --out cb.parquet --preset llava-1.5-13b", "the reference's 13B configuration (by default the checkpoint family's preset)"),
            ("./mining mine --images /shared/images --model /shared/llava --out cb.parquet --cluster silo1:30000", "as a job on a running cluster"),
        ],
        ["jobs"] = [("./mining jobs list --cluster silo1:30000", "the jobs of a running cluster")],
        ["jobs submit"] =
        [
            ("./mining jobs submit --images /shared/images --model /shared/llava --cluster silo1:30000", "prints the job id"),
            ("./mining jobs submit --images /shared/images --model /shared/llava --api https://gw:8443 --watch", "through the HTTP gateway, following it"),
        ],
        ["jobs list"] = [("./mining jobs list --cluster silo1:30000 --json", "every job's status as JSON")],
        ["jobs status"] = [("./mining jobs status job-20250114-093015-3f9a1c --cluster silo1:30000", "state, shards, failed images")],
        ["jobs watch"] = [("./mining jobs watch job-20250114-093015-3f9a1c --api https://gw:8443", "progress bars until it ends")],
        ["jobs cancel"] = [("./mining jobs cancel job-20250114-093015-3f9a1c --cluster silo1:30000", "stop it; 'jobs resume' continues")],
        ["jobs resume"] = [("./mining jobs resume job-20250114-093015-3f9a1c --cluster silo1:30000", "mine the images without stored results")],
        ["codebook"] = [("./mining codebook info cb.parquet", "what a codebook holds")],
        ["codebook import"] =
        [
            ("./mining codebook import --npy prototypes.npy --source-ids ids.json --model llava-hf/llava-1.5-7b-hf --family llava --out cb.parquet", "the paper's released LLaVA-1.5 codebook as Parquet"),
            ("./mining codebook import --pt coco_train_1200samples_numPrototypes-45.pt --source-ids coco_train_1200samples_numPrototypes-45.json --model lmms-lab/llava-onevision-qwen2-7b-ov --family onevision --out ov.parquet", "the released OneVision codebook, read from its PyTorch file"),
        ],
        ["codebook info"] =
        [
            ("./mining codebook info cb.parquet", "rows, model, parameters, norms"),
            ("./mining codebook info images.parquet", "a per-image results file (mine --results): images, candidates, redundant, kept"),
        ],
        ["codebook diff"] = [("./mining codebook diff v1.parquet v2.parquet", "prototypes added, removed, changed")],
        ["codebook dedup"] = [("./mining codebook dedup cb.parquet --cosine 0.95 --out cb-095.parquet", "merge prototypes closer than cosine 0.95")],
        ["codebook export"] = [("./mining codebook export --name my-codebook --out cb.parquet --cluster silo1:30000", "the latest version a cluster built")],
        ["model"] = [("./mining model info my-llava", "a checkpoint's architecture")],
        ["model make-tiny"] =
        [
            ("./mining model make-tiny --out tiny-llava", "a small random checkpoint in the real layout"),
            ("./mining model make-tiny --out tiny-next --family next --dtype bf16 --shards 2", "a LLaVA-NeXT one with a byte-level BPE tokenizer, bf16, in two shards"),
        ],
        ["model info"] = [("./mining model info my-llava --json", "architecture as JSON")],
        ["model logits"] = [("./mining model logits --model my-llava --image cat.png", "the most likely first answer tokens")],
        ["experiment"] =
        [
            ("./mining experiment --model my-llava --image cat.png", "each candidate token's measurements"),
            ("./mining experiment --model my-llava --image cat.png --all-tokens --heatmap cat-heatmap.png", "and a heat map of the redundancy score"),
        ],
        ["probe"] =
        [
            ("./mining probe --codebook cb.parquet --tokens tokens.npy --ratio 0.5", "keep the half of the tokens least like the prototypes"),
            ("./mining probe --codebook ov.parquet --tokens tokens.npy --threshold 0.45 --model my-llava-onevision", "refuse a codebook of another family or width than the checkpoint's"),
        ],
        ["bench"] = [("./mining bench forward --skip-large", "GEMM and forward throughput of this machine")],
        ["bench forward"] = [("./mining bench forward --out forward.json", "figures to a file of your choosing"), ("./mining bench forward --shape llava-1.5-7b --layers 2 --dtype bf16", "load and run two layers of LLaVA-1.5-7B's real widths; load memory against the previous loading path")],
        ["bench mine"] = [("./mining bench mine --model demo --json", "reference schedule against the engine, figures as JSON on stdout")],
        ["bench cluster"] = [("./mining bench cluster --sizes 1000,4000", "clustering time by size")],
        ["bench silos"] = [("./mining bench silos --silos 1,3", "the demo job on 1 and 3 silos")],
        ["bench probe"] = [("./mining bench probe --tokens 576", "probe throughput for one image")],
    };

    /// <summary>Makes <paramref name="root"/>'s <c>--help</c> print the examples and (for the root) the exit codes after the usual text.</summary>
    public static void Install(RootCommand root)
    {
        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new WithExamples((HelpAction)help.Action!);
    }

    /// <summary>The examples of the verb at <paramref name="path"/> (outermost first), as printed under "Examples:".</summary>
    public static IReadOnlyList<(string Line, string What)> For(IEnumerable<string> path) =>
        Examples.TryGetValue(string.Join(' ', path), out var examples) ? examples : [];

    private sealed class WithExamples(HelpAction inner) : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var code = inner.Invoke(parseResult);
            var path = CommandFailure.CommandPath(parseResult.CommandResult).ToArray();
            var examples = For(path);
            if (examples.Count > 0)
            {
                Console.Out.WriteLine("Examples:");
                foreach (var (line, what) in examples)
                {
                    Console.Out.WriteLine($"  {line}");
                    Console.Out.WriteLine($"      {what}");
                }

                Console.Out.WriteLine();
            }

            if (path.Length == 0)
            {
                Console.Out.WriteLine(ExitCodes.Table);
            }

            return code;
        }
    }
}
