using Mining.Silo.Api;

namespace Mining.Silo.Tests.Api;

/// <summary>The caps are inclusive: a dataset exactly at a cap passes, one byte or one image more is refused.</summary>
public sealed class DatasetCapsTests
{
    private static readonly DatasetCaps Caps = new(new MiningApiLimits { MaxImagesPerJob = 3, MaxManifestBytes = 100 });

    [Fact]
    public void A_manifest_of_exactly_the_cap_passes_and_one_byte_more_is_refused()
    {
        var folder = ApiTestData.NewTempFolder();
        var atCap = Path.Combine(folder, "at-cap.csv");
        var over = Path.Combine(folder, "over.csv");
        File.WriteAllBytes(atCap, new byte[100]);
        File.WriteAllBytes(over, new byte[101]);

        Caps.CheckManifest("images", atCap, atCap);
        var error = Assert.Throws<JobRequestException>(() => Caps.CheckManifest("images", "/given/over.csv", over));

        Assert.Equal("images", error.Field);
        Assert.Equal("images: the manifest '/given/over.csv' is 101 bytes, more than the 100 a job may name (Mining:Api:Limits:MaxManifestBytes)", error.Message);
    }

    [Fact]
    public void A_folder_is_not_a_manifest()
    {
        Caps.CheckManifest("images", "/data", ApiTestData.NewTempFolder());
    }

    [Fact]
    public void A_dataset_of_exactly_the_cap_passes_and_one_image_more_is_refused()
    {
        Caps.CheckImageCount("images", "/data/images", 3);
        var error = Assert.Throws<JobRequestException>(() => Caps.CheckImageCount("images", "/data/images", 4));

        Assert.Equal("images: '/data/images' lists 4 images, more than the 3 a job may have (Mining:Api:Limits:MaxImagesPerJob)", error.Message);
    }
}
