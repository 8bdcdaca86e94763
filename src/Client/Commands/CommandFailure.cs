using Mining.Kernels.Checkpoints;
using Mining.Kernels.Experiments;
using Mining.Kernels.Imaging;
using Mining.Kernels.Runtime;
using Mining.Kernels.Text;

namespace Mining.Client.Commands;

/// <summary>Runs a verb's body and turns the errors users cause (bad files, bad options, missing backend) into one line on stderr and exit code 2.</summary>
internal static class CommandFailure
{
    /// <summary>Exit code for user errors.</summary>
    public const int UserError = 2;

    /// <summary>Runs <paramref name="body"/>; known user errors print "mining: error: …" and return <see cref="UserError"/>.</summary>
    public static int Guard(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (IsUserError(e))
        {
            Console.Error.WriteLine($"mining: error: {e.Message}");
            return UserError;
        }
    }

    private static bool IsUserError(Exception e) => e is CheckpointException or TokenizerException or ImageDecodeException
        or TorchBackendException or MiningParameterException or Mining.Kernels.Datasets.DatasetException or InvalidDataException or FileNotFoundException
        or DirectoryNotFoundException or ArgumentException or UnauthorizedAccessException;
}
