using System.CommandLine;
using System.CommandLine.Invocation;
using System.Globalization;
using Mining.Client.Commands;

// Output and parsing never depend on the machine's locale (ICU is loaded for Unicode normalisation only).
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;

var root = new RootCommand("Mining: mines a visual-redundancy codebook for LLaVA-family multimodal LLMs and probes visual tokens with it.")
{
    DemoCommand.Create(),
    ModelCommand.Create(),
    ExperimentCommand.Create(),
    MineCommand.Create(),
    JobsCommand.Create(),
    CodebookCommand.Create(),
    ProbeCommand.Create(),
    BenchCommand.Create(),
};
VerbHelp.Install(root);

var parsed = root.Parse(args);

// System.CommandLine answers a parse error with exit code 1 and the help text on stdout; the CLI's
// contract is exit code 2 and the problem on stderr, so that stdout stays clean for --json readers.
// A verb missing its command ('mining' alone, 'mining codebook') prints that verb's help and exits 2.
// Ctrl+C cancels the verb's token; waiting up to 30 s (not the default 2) lets a verb cancel its job and stop the
// silos it started before the process ends.
return parsed.Action is ParseErrorAction
    ? CommandFailure.ParseErrors(parsed, path => root.Parse([.. path, "--help"]).Invoke())
    : await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(30) });
