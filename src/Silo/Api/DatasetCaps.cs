namespace Mining.Silo.Api;

/// <summary>
/// The caps on one job's dataset (<see cref="MiningApiLimits.MaxManifestBytes"/>, <see cref="MiningApiLimits.MaxImagesPerJob"/>),
/// checked where the gateway opens the dataset, before any work: each refusal is a <see cref="JobRequestException"/>
/// naming the field and the setting.
/// </summary>
public sealed class DatasetCaps(MiningApiLimits limits)
{
    /// <summary>Refuses a manifest file longer than the cap, by its length alone, so a huge one is never read.</summary>
    /// <param name="field">The request field that named the dataset.</param>
    /// <param name="location">The location as the caller gave it (for the message).</param>
    /// <param name="path">The canonical path, already known to lie inside the allowed roots; a folder passes.</param>
    public void CheckManifest(string field, string location, string path)
    {
        long length;
        try
        {
            if (!File.Exists(path))
            {
                return;
            }

            length = new FileInfo(path).Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new JobRequestException(field, e.Message);
        }

        if (length > limits.MaxManifestBytes)
        {
            throw new JobRequestException(field, $"the manifest '{location}' is {length} bytes, more than the {limits.MaxManifestBytes} a job may name ({Setting(nameof(MiningApiLimits.MaxManifestBytes))})");
        }
    }

    /// <summary>Refuses a dataset of more images than the cap.</summary>
    public void CheckImageCount(string field, string location, int images)
    {
        if (images > limits.MaxImagesPerJob)
        {
            throw new JobRequestException(field, $"'{location}' lists {images} images, more than the {limits.MaxImagesPerJob} a job may have ({Setting(nameof(MiningApiLimits.MaxImagesPerJob))})");
        }
    }

    private static string Setting(string name) => $"{MiningApiOptions.SectionName}:{MiningApiLimits.SectionName}:{name}";
}
