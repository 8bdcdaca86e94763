namespace Mining.Kernels.Text;

/// <summary>A tokenizer file is missing, unreadable or not what it claims to be; the message names the file.</summary>
public sealed class TokenizerException : Exception
{
    public TokenizerException(string message)
        : base(message)
    {
    }

    public TokenizerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
