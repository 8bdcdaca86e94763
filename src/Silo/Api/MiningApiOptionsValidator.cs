using Microsoft.Extensions.Options;

namespace Mining.Silo.Api;

/// <summary>Rejects unusable <see cref="MiningApiOptions"/> before the gateway starts, naming the setting (never a key's value).</summary>
public sealed class MiningApiOptionsValidator : IValidateOptions<MiningApiOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MiningApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        void Fail(string setting, string problem) => failures.Add($"{MiningApiOptions.SectionName}:{setting} {problem}");

        if (options.Url is { Length: > 0 } url
            && (!Uri.TryCreate(url, UriKind.Absolute, out var listen) || listen.Scheme is not ("http" or "https")
                || listen.AbsolutePath != "/" || listen.Query.Length > 0 || listen.UserInfo.Length > 0))
        {
            Fail(nameof(options.Url), $"is '{url}'; it must be an http or https URL without a path, e.g. {MiningApiOptions.DefaultUrl}");
        }

        if (options.ApiKeys.Count == 0)
        {
            Fail(nameof(options.ApiKeys), "is empty; give at least one key (callers send it in the X-Api-Key header)");
        }

        for (var i = 0; i < options.ApiKeys.Count; i++)
        {
            var key = options.ApiKeys[i] ?? "";
            if (key.Length < MiningApiOptions.MinimumKeyLength)
            {
                Fail($"{nameof(options.ApiKeys)}:{i}", $"is shorter than {MiningApiOptions.MinimumKeyLength} characters");
            }
            else if (key.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c > '~'))
            {
                // An HTTP header carries printable ASCII; anything else could never be sent.
                Fail($"{nameof(options.ApiKeys)}:{i}", "holds whitespace, control or non-ASCII characters; a key is sent as an HTTP header value");
            }
        }

        if (options.MaxRequestBytes < 1024)
        {
            Fail(nameof(options.MaxRequestBytes), $"is {options.MaxRequestBytes}; it must be at least 1024");
        }

        if (options.SessionLifetime <= TimeSpan.Zero)
        {
            Fail(nameof(options.SessionLifetime), $"is {options.SessionLifetime}; it must be positive");
        }

        for (var i = 0; i < options.TrustedProxies.Count; i++)
        {
            var proxy = options.TrustedProxies[i];
            if (!TrustedProxiesStartupFilter.TryParse(proxy, out _, out _))
            {
                Fail($"{nameof(options.TrustedProxies)}:{i}", $"is '{proxy}'; it must be an IP address (10.0.0.5) or a network in CIDR form (10.0.0.0/8)");
            }
        }

        ValidateLimits(options.Limits, Fail);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateLimits(MiningApiLimits limits, Action<string, string> fail)
    {
        void Fail(string setting, string problem) => fail($"{MiningApiLimits.SectionName}:{setting}", problem);

        if (limits.RequestsPerWindow < 1)
        {
            Fail(nameof(limits.RequestsPerWindow), $"is {limits.RequestsPerWindow}; it must be at least 1");
        }

        if (limits.RequestWindow <= TimeSpan.Zero)
        {
            Fail(nameof(limits.RequestWindow), $"is {limits.RequestWindow}; it must be positive (e.g. 00:01:00)");
        }

        if (limits.MaxImagesPerJob < 1)
        {
            Fail(nameof(limits.MaxImagesPerJob), $"is {limits.MaxImagesPerJob}; it must be at least 1");
        }

        if (limits.MaxManifestBytes < 1)
        {
            Fail(nameof(limits.MaxManifestBytes), $"is {limits.MaxManifestBytes}; it must be at least 1");
        }

        if (limits.MaxRunningJobsPerKey < 1)
        {
            Fail(nameof(limits.MaxRunningJobsPerKey), $"is {limits.MaxRunningJobsPerKey}; it must be at least 1");
        }
    }
}
