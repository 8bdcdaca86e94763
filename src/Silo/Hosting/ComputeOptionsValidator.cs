using Microsoft.Extensions.Options;
using Mining.Kernels.Runtime;

namespace Mining.Silo.Hosting;

/// <summary>
/// Checks <see cref="ComputeOptions"/> at start-up; on a worker it also resolves the device, so a GPU silo started on
/// a CPU build or without a visible GPU fails before it joins the cluster, not at its first image.
/// </summary>
public sealed class ComputeOptionsValidator(IOptions<SiloHostOptions> silo) : IValidateOptions<ComputeOptions>
{
    public ValidateOptionsResult Validate(string? name, ComputeOptions options)
    {
        var failures = new List<string>();
        if (!ComputeOptions.DTypes.ContainsKey(options.DType ?? ""))
        {
            failures.Add($"{ComputeOptions.Section}:DType must be one of {string.Join(", ", ComputeOptions.DTypes.Keys)}, got '{options.DType}'");
        }

        if (options.Threads < 0)
        {
            failures.Add($"{ComputeOptions.Section}:Threads must be 0 (TorchSharp's default) or positive, got {options.Threads}");
        }

        if (options.MaxBatchTokens < 0)
        {
            failures.Add($"{ComputeOptions.Section}:MaxBatchTokens must be 0 (from free memory) or positive, got {options.MaxBatchTokens}");
        }

        if (string.IsNullOrWhiteSpace(options.Device))
        {
            failures.Add($"{ComputeOptions.Section}:Device must be cpu, cuda or cuda:N");
        }
        else if (failures.Count == 0 && silo.Value.Role == SiloRole.Worker)
        {
            try
            {
                TorchRuntime.Resolve(options.ToRuntimeOptions());
            }
            catch (TorchBackendException e)
            {
                failures.Add($"{ComputeOptions.Section}:Device '{options.Device}' with DType '{options.DType}' cannot run here: {e.Message}");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
