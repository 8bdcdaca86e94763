using Microsoft.Extensions.Options;
using Mining.Silo.Api;

namespace Mining.Silo.Tests.Api;

/// <summary>Blob URIs: only plain blob URIs of the configured account pass.</summary>
public sealed class LocationPolicyTests
{
    private static readonly string Root = ApiTestData.NewTempFolder();

    private static LocationPolicy Policy(string? account) => new(Options.Create(new MiningApiOptions
    {
        ApiKeys = ["0123456789abcdef"],
        AllowedRoots = [Root],
        BlobAccount = account,
    }));

    [Theory]
    [InlineData("https://acct.blob.core.windows.net", "https://acct.blob.core.windows.net/data/images/manifest.csv")]
    [InlineData("http://127.0.0.1:10000/devstoreaccount1", "http://127.0.0.1:10000/devstoreaccount1/data/images")]
    [InlineData("http://127.0.0.1:10000/devstoreaccount1/", "http://127.0.0.1:10000/devstoreaccount1/models/llava")]
    public void A_blob_uri_of_the_configured_account_is_accepted_as_is(string account, string uri)
    {
        Assert.Equal(uri, Policy(account).ResolveDataset("images", uri));
        Assert.Equal(uri, Policy(account).ResolveModel("model", uri));
    }

    [Theory]
    [InlineData("https://other.blob.core.windows.net/data/images", "not a blob of the configured account")]
    [InlineData("http://acct.blob.core.windows.net/data/images", "not a blob of the configured account")]
    [InlineData("https://acct.blob.core.windows.net:8443/data/images", "not a blob of the configured account")]
    [InlineData("https://acct.blob.core.windows.net/", "not a blob of the configured account")]
    [InlineData("https://acct.blob.core.windows.net/data/../other", "'..'")]
    [InlineData("https://acct.blob.core.windows.net/data/%2e%2e/other", "'..'")]
    [InlineData("https://acct.blob.core.windows.net/data/a%2fb", "'..'")]
    [InlineData("https://acct.blob.core.windows.net/data/images?sv=1&sig=x", "SAS tokens are not accepted")]
    [InlineData("https://user:pw@acct.blob.core.windows.net/data/images", "user info")]
    public void Any_other_uri_is_refused_naming_the_field(string uri, string problem)
    {
        var error = Assert.Throws<JobRequestException>(() => Policy("https://acct.blob.core.windows.net").ResolveDataset("images", uri));

        Assert.Equal("images", error.Field);
        Assert.StartsWith("images: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_uri_without_a_configured_account_is_refused()
    {
        var error = Assert.Throws<JobRequestException>(() => Policy(null).ResolveModel("model", "https://acct.blob.core.windows.net/models/llava"));

        Assert.Contains("Mining:Api:BlobAccount", error.Message, StringComparison.Ordinal);
    }
}
