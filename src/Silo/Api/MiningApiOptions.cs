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

    /// <summary>Absolute folders that dataset and model locations of a job spec must resolve inside (after following symbolic links).</summary>
    public IList<string> AllowedRoots { get; set; } = [];

    /// <summary>
    /// Blob service URI of the storage account whose blobs a job spec may name instead of a local path (e.g.
    /// <c>https://account.blob.core.windows.net</c>, or Azurite's <c>http://127.0.0.1:10000/devstoreaccount1</c>); unset refuses blob URIs.
    /// </summary>
    public string? BlobAccount { get; set; }

    /// <summary>Largest request body the API reads (a job spec is a few hundred bytes).</summary>
    public long MaxRequestBytes { get; set; } = 64 * 1024;

    /// <summary>How long a Mining page sign-in (a cookie that stands for a key) lasts.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>The shortest key accepted: a short key is guessable.</summary>
    public const int MinimumKeyLength = 16;

    /// <summary>What one API key can make the cluster do (<c>Mining:Api:Limits</c>).</summary>
    public MiningApiLimits Limits { get; set; } = new();

    /// <summary>Keeps the keys out of logs and exception messages.</summary>
    public override string ToString() =>
        $"{nameof(MiningApiOptions)} {{ {nameof(Url)} = {Url}, {nameof(ApiKeys)} = [{ApiKeys.Count} keys], {nameof(AllowedRoots)} = [{string.Join(", ", AllowedRoots)}], " +
        $"{nameof(BlobAccount)} = {BlobAccount}, {nameof(MaxRequestBytes)} = {MaxRequestBytes}, {nameof(SessionLifetime)} = {SessionLifetime} }}";
}
