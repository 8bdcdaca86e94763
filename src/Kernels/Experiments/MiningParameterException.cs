namespace Mining.Kernels.Experiments;

/// <summary>A mining parameter out of its range; the message names the parameter as its CLI option (e.g. <c>--jsd-thres</c>).</summary>
public sealed class MiningParameterException : ArgumentException
{
    /// <summary>Creates the exception for <paramref name="option"/> (kebab case with leading dashes).</summary>
    public MiningParameterException(string option, string message)
        : base(message)
    {
        Option = option;
    }

    /// <summary>The CLI option that names the offending parameter, e.g. <c>--jsd-thres</c>.</summary>
    public string Option { get; }
}
