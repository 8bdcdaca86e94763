namespace Mining.Client.Api;

/// <summary>The gateway's HTTP API could not be reached or refused a request; the message names the gateway's URL.</summary>
internal sealed class GatewayApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    public GatewayApiException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public GatewayApiException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
