using Microsoft.Extensions.Options;
using Mining.Kernels.IO;
using Mining.Silo.Api;

namespace Mining.Silo.Tests.Api;

/// <summary>The API's early check: what it refuses names the field and says no more than the caller sent.</summary>
public sealed class LocationPolicyTests
{
    private static readonly string Root = ApiTestData.NewTempFolder();
    private static readonly string Outside = ApiTestData.NewTempFolder();

    private static LocationPolicy Policy() => new(new AllowedRoots([Root]), Options.Create(new MiningApiOptions()));

    [Theory]
    [InlineData("https://acct.blob.core.windows.net/data/images/manifest.csv")]
    [InlineData("http://127.0.0.1:10000/devstoreaccount1/data/images")]
    [InlineData("file:///etc/passwd")]
    public void A_uri_is_refused_naming_the_field_because_the_silos_read_local_paths_only(string uri)
    {
        var images = Assert.Throws<JobRequestException>(() => Policy().ResolveDataset("images", uri));
        var model = Assert.Throws<JobRequestException>(() => Policy().ResolveModel("model", uri));

        Assert.StartsWith("images: ", images.Message, StringComparison.Ordinal);
        Assert.StartsWith("model: ", model.Message, StringComparison.Ordinal);
        Assert.Contains("blob URIs are not read", images.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_link_out_of_the_roots_is_refused_without_saying_where_it_leads_or_which_roots_are_allowed()
    {
        var link = Path.Combine(Root, "escape-" + Guid.NewGuid().ToString("N"));
        Directory.CreateSymbolicLink(link, Outside);

        var error = Assert.Throws<JobRequestException>(() => Policy().ResolveDataset("images", link));

        Assert.Equal($"images: '{link}' is outside the allowed roots", error.Message);
        Assert.DoesNotContain(Outside, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_file_linked_out_of_the_roots_names_the_file_but_not_its_target()
    {
        var model = Directory.CreateDirectory(Path.Combine(Root, "model-" + Guid.NewGuid().ToString("N"))).FullName;
        var secret = Path.Combine(Outside, "secret.safetensors");
        File.WriteAllText(secret, "not weights");
        File.CreateSymbolicLink(Path.Combine(model, "model.safetensors"), secret);

        var error = Assert.Throws<JobRequestException>(() => Policy().ResolveModel("model", model));

        Assert.Equal($"model: '{Path.Join(model, "model.safetensors")}' is outside the allowed roots", error.Message);
    }
}
