namespace Mining.Silo.Tests.Api;

/// <summary>
/// A second <see cref="ApiFixture"/> gateway with small per-key limits, for the tests that reach them. The window is
/// an hour, so a test that spends a key's permits sees the same answers however slow the machine is.
/// </summary>
public sealed class LimitedGateway : IAsyncLifetime
{
    /// <summary>Requests per key per <see cref="RequestWindow"/>.</summary>
    public const int RequestsPerWindow = 20;

    /// <summary>The rate limit's window.</summary>
    public static readonly TimeSpan RequestWindow = TimeSpan.FromHours(1);

    /// <summary>Most images per job.</summary>
    public const int MaxImagesPerJob = 2;

    /// <summary>Largest manifest, in bytes.</summary>
    public const int MaxManifestBytes = 256;

    /// <summary>Most running jobs per key.</summary>
    public const int MaxRunningJobsPerKey = 2;

    public LimitedGateway()
    {
        Gateway = new(new Dictionary<string, string?>
        {
            ["Mining:Api:ApiKeys:3"] = FourthKey,
            ["Mining:Api:Limits:RequestsPerWindow"] = RequestsPerWindow.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mining:Api:Limits:RequestWindow"] = RequestWindow.ToString(),
            ["Mining:Api:Limits:MaxImagesPerJob"] = MaxImagesPerJob.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mining:Api:Limits:MaxManifestBytes"] = MaxManifestBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mining:Api:Limits:MaxRunningJobsPerKey"] = MaxRunningJobsPerKey.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
    }

    /// <summary>
    /// The gateway. The rate limit tests spend <see cref="ApiFixture.ThirdKey"/> and <see cref="FourthKey"/>, one
    /// each; the other tests send <see cref="ApiFixture.Key"/> and <see cref="ApiFixture.SecondKey"/> a few times.
    /// </summary>
    public ApiFixture Gateway { get; }

    /// <summary>A fourth key the gateway accepts.</summary>
    public string FourthKey { get; } = "fourth-" + Guid.NewGuid().ToString("N");

    public ValueTask InitializeAsync() => Gateway.InitializeAsync();

    public ValueTask DisposeAsync() => Gateway.DisposeAsync();
}
