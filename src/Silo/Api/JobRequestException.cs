namespace Mining.Silo.Api;

/// <summary>A field of a job request that cannot be accepted; the message starts with the field's name.</summary>
public sealed class JobRequestException : Exception
{
    /// <summary>Creates the exception for <paramref name="field"/> with the <paramref name="problem"/> (which should not repeat the field).</summary>
    public JobRequestException(string field, string problem)
        : base($"{field}: {problem}")
    {
        Field = field;
    }

    /// <summary>The request field, as the JSON body names it (e.g. <c>images</c>, <c>parameters.top1_thres</c>).</summary>
    public string Field { get; }
}
