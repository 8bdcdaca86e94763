namespace Mining.Silo.Api;

/// <summary>Settings of the gateway's HTTP API (configuration section <c>Mining:Api</c>), checked at start-up by <see cref="MiningApiOptionsValidator"/>.</summary>
public sealed class MiningApiOptions
{
    /// <summary>The configuration section the options bind to.</summary>
    public const string SectionName = "Mining:Api";

    /// <summary>Where a standalone gateway serves the API unless <see cref="Url"/> says otherwise: this machine only.</summary>
    public const string DefaultUrl = "http://127.0.0.1:8080";

    /// <summary>
    /// The address a standalone gateway silo serves the API, the dashboards and <c>/metrics</c> at (an http or https
    /// URL with no path, e.g. <c>http://0.0.0.0:8080</c> for every interface); empty serves no HTTP at all.
    /// </summary>
    public string Url { get; set; } = DefaultUrl;

    /// <summary>Keys a caller may send in the <c>X-Api-Key</c> header; at least one, each at least <see cref="MinimumKeyLength"/> characters.</summary>
    public IList<string> ApiKeys { get; set; } = [];

    /// <summary>Largest request body the API reads (a job spec is a few hundred bytes).</summary>
    public long MaxRequestBytes { get; set; } = 64 * 1024;

    /// <summary>How long a Mining page sign-in (a cookie that stands for a key) lasts.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>The shortest key accepted: a short key is guessable.</summary>
    public const int MinimumKeyLength = 16;

    /// <summary>
    /// Addresses (<c>10.0.0.5</c>) or networks (<c>10.0.0.0/8</c>) of the TLS-terminating proxies in front of the gateway:
    /// a request from one of them is taken to have the scheme and client address its <c>X-Forwarded-Proto</c> and
    /// <c>X-Forwarded-For</c> headers name. Empty (the default): those headers are ignored, whoever sends them.
    /// </summary>
    public IList<string> TrustedProxies { get; set; } = [];

    /// <summary>What one API key can make the cluster do (<c>Mining:Api:Limits</c>).</summary>
    public MiningApiLimits Limits { get; set; } = new();

    /// <summary>Keeps the keys out of logs and exception messages.</summary>
    public override string ToString() =>
        $"{nameof(MiningApiOptions)} {{ {nameof(Url)} = {Url}, {nameof(ApiKeys)} = [{ApiKeys.Count} keys], " +
        $"{nameof(MaxRequestBytes)} = {MaxRequestBytes}, {nameof(SessionLifetime)} = {SessionLifetime}, " +
        $"{nameof(TrustedProxies)} = [{string.Join(", ", TrustedProxies)}] }}";
}
