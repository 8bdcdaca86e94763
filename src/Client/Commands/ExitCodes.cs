namespace Mining.Client.Commands;

/// <summary>The CLI's exit codes, one table for every verb (also at the end of <c>mining --help</c> and in docs/cli.md).</summary>
internal static class ExitCodes
{
    /// <summary>The verb did what was asked.</summary>
    public const int Success = 0;

    /// <summary>The work ran and failed: every image failed, a job failed or was cancelled, scores differ.</summary>
    public const int Failed = 1;

    /// <summary>Usage or input error: a bad option or value, a bad or missing file, a refused output path.</summary>
    public const int UserError = 2;

    /// <summary>Reserved: the cluster stayed unreachable after reconnecting.</summary>
    public const int ClusterUnreachable = 3;

    /// <summary>The codebook came out empty (and --allow-empty was not given).</summary>
    public const int EmptyCodebook = 4;

    /// <summary>The table as <c>mining --help</c> ends with it.</summary>
    public const string Table =
        """
        Exit codes:
          0  success
          1  the work ran and failed (every image failed, a job failed or was cancelled)
          2  usage or input error (bad option or value, bad file, refused output path); also 'mining' without a command
          3  reserved: cluster unreachable after reconnecting
          4  the codebook came out empty (without --allow-empty)
        """;
}
