using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Mining.Silo.Api;

namespace Mining.Silo.Tests.Api;

public sealed class MiningApiOptionsValidatorTests
{
    private static MiningApiOptions Valid() => new()
    {
        ApiKeys = ["0123456789abcdef"],
    };

    private static string Failure(MiningApiOptions options)
    {
        var result = new MiningApiOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        return Assert.Single(result.Failures!);
    }

    [Fact]
    public void Valid_options_pass()
    {
        Assert.True(new MiningApiOptionsValidator().Validate(null, Valid()).Succeeded);
    }

    [Theory]
    [InlineData("127.0.0.1:8080")]
    [InlineData("ftp://127.0.0.1:8080")]
    [InlineData("http://127.0.0.1:8080/api")]
    public void A_url_that_is_not_a_bare_http_address_names_the_setting(string url)
    {
        var options = Valid();
        options.Url = url;

        Assert.StartsWith($"Mining:Api:Url is '{url}'", Failure(options), StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_url_is_valid()
    {
        var options = Valid();
        options.Url = "";

        Assert.True(new MiningApiOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void No_api_keys_names_the_setting()
    {
        var options = Valid();
        options.ApiKeys = [];

        Assert.StartsWith("Mining:Api:ApiKeys is empty", Failure(options), StringComparison.Ordinal);
    }

    [Fact]
    public void A_short_key_names_its_index_but_not_its_value()
    {
        var options = Valid();
        options.ApiKeys = ["0123456789abcdef", "short-secret"];

        var failure = Failure(options);

        Assert.StartsWith("Mining:Api:ApiKeys:1 is shorter than 16 characters", failure, StringComparison.Ordinal);
        Assert.DoesNotContain("short-secret", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_with_a_space_names_its_index()
    {
        var options = Valid();
        options.ApiKeys = ["0123456789 abcdef"];

        Assert.StartsWith("Mining:Api:ApiKeys:0 holds whitespace", Failure(options), StringComparison.Ordinal);
    }

    [Fact]
    public void A_tiny_request_limit_names_the_setting()
    {
        var options = Valid();
        options.MaxRequestBytes = 10;

        Assert.StartsWith("Mining:Api:MaxRequestBytes is 10", Failure(options), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.5")]
    [InlineData("::1")]
    [InlineData("10.0.0.0/8")]
    [InlineData("fd00::/8")]
    public void A_trusted_proxy_address_or_network_is_valid(string proxy)
    {
        var options = Valid();
        options.TrustedProxies = [proxy];

        Assert.True(new MiningApiOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("")]
    [InlineData("proxy.example")]
    [InlineData("10")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.1/8")]
    public void A_trusted_proxy_that_is_not_an_address_or_network_names_the_setting(string proxy)
    {
        var options = Valid();
        options.TrustedProxies = ["10.0.0.5", proxy];

        Assert.Equal(
            $"Mining:Api:TrustedProxies:1 is '{proxy}'; it must be an IP address (10.0.0.5) or a network in CIDR form (10.0.0.0/8)",
            Failure(options));
    }

    [Fact]
    public void The_default_limits_are_valid()
    {
        var limits = Valid().Limits;

        Assert.True(limits.RequestsPerWindow >= 1);
        Assert.True(limits.RequestWindow > TimeSpan.Zero);
        Assert.True(limits.MaxImagesPerJob >= 1);
        Assert.True(limits.MaxManifestBytes >= 1);
        Assert.True(limits.MaxRunningJobsPerKey >= 1);
    }

    [Fact]
    public void A_running_jobs_limit_below_one_names_the_setting()
    {
        var options = Valid();
        options.Limits.MaxRunningJobsPerKey = 0;

        Assert.Equal("Mining:Api:Limits:MaxRunningJobsPerKey is 0; it must be at least 1", Failure(options));
    }

    [Fact]
    public void An_image_cap_below_one_names_the_setting()
    {
        var options = Valid();
        options.Limits.MaxImagesPerJob = 0;

        Assert.Equal("Mining:Api:Limits:MaxImagesPerJob is 0; it must be at least 1", Failure(options));
    }

    [Fact]
    public void A_manifest_cap_below_one_names_the_setting()
    {
        var options = Valid();
        options.Limits.MaxManifestBytes = -1;

        Assert.Equal("Mining:Api:Limits:MaxManifestBytes is -1; it must be at least 1", Failure(options));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void A_request_rate_below_one_names_the_setting(int requests)
    {
        var options = Valid();
        options.Limits.RequestsPerWindow = requests;

        Assert.Equal($"Mining:Api:Limits:RequestsPerWindow is {requests}; it must be at least 1", Failure(options));
    }

    [Fact]
    public void A_request_window_that_is_not_positive_names_the_setting()
    {
        var options = Valid();
        options.Limits.RequestWindow = TimeSpan.Zero;

        Assert.StartsWith("Mining:Api:Limits:RequestWindow is 00:00:00", Failure(options), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gateway_with_a_bad_limit_fails_at_start_naming_the_setting()
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mining:Api:ApiKeys:0"] = "0123456789abcdef",
            ["Mining:Api:Limits:RequestsPerWindow"] = "0",
        });
        builder.Services.AddMiningApi(builder.Configuration);
        await using var app = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("Mining:Api:Limits:RequestsPerWindow is 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_options_text_holds_no_key()
    {
        var options = Valid();

        Assert.DoesNotContain("0123456789abcdef", options.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gateway_with_bad_settings_fails_at_start_naming_the_setting()
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Mining:Api:MaxRequestBytes"] = "4096" });
        builder.Services.AddMiningApi(builder.Configuration);
        await using var app = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("Mining:Api:ApiKeys is empty", error.Message, StringComparison.Ordinal);
    }
}
