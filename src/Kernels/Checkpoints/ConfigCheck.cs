namespace Mining.Kernels.Checkpoints;

/// <summary>
/// The checks a config record's <c>Validate</c> makes on values already read, with errors that name
/// <paramref name="source"/> and the field (after <paramref name="prefix"/>, e.g. <c>text_config.</c>) as <see cref="ConfigSection"/>'s do.
/// </summary>
internal readonly struct ConfigCheck(string source, string prefix)
{
    /// <summary>Throws unless <paramref name="value"/> is at least 1.</summary>
    public void Positive(string field, int value)
    {
        if (value <= 0)
        {
            throw Fail(field, $"must be a positive integer, got {value}");
        }
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and greater than 0.</summary>
    public void PositiveNumber(string field, double value)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            throw Fail(field, $"must be a positive number, got {value}");
        }
    }

    /// <summary>An error naming the file and the field.</summary>
    public CheckpointException Fail(string field, string problem) => new($"{source}: field '{prefix}{field}' {problem}");
}
