using System.CommandLine;
using Mining.Client.Commands;

var root = new RootCommand("Mining: mines a visual-redundancy codebook for LLaVA-family multimodal LLMs and probes visual tokens with it.")
{
    DemoCommand.Create(),
    ModelCommand.Create(),
    ExperimentCommand.Create(),
    MineCommand.Create(),
    CodebookCommand.Create(),
    ProbeCommand.Create(),
    BenchCommand.Create(),
};

return await root.Parse(args).InvokeAsync();
