using Microsoft.Extensions.Options;
using Mining.Kernels.Datasets;
using Mining.Kernels.IO;

namespace Mining.Silo.Api;

/// <summary>
/// The API's early check of a job spec's locations, for a fast 400 naming the field: the silo's
/// <see cref="AllowedRoots"/> (<c>Mining:Silo:AllowedRoots</c>) decide, exactly as the silos decide again when they
/// open the files. A local path must be absolute, hold no <c>..</c> segment and, with every symbolic link followed,
/// lie inside the roots — and so must every image a dataset lists and every file of a model folder; a manifest must
/// be a regular file. Blob URIs are refused: the silos read local paths only. The dataset must also keep within
/// <see cref="DatasetCaps"/>.
/// </summary>
public sealed class LocationPolicy(AllowedRoots roots, IOptions<MiningApiOptions> options)
{
    private readonly DatasetCaps caps = new(options.Value.Limits);

    /// <summary>The canonical location of a dataset (folder or manifest) whose every image lies inside the roots.</summary>
    public string ResolveDataset(string field, string location)
    {
        try
        {
            // The manifest's length is checked before it is read, so a huge one never is.
            caps.CheckManifest(field, location, roots.Resolve(location));
            var dataset = ImageDataset.Open(location, roots);
            caps.CheckImageCount(field, location, dataset.Images.Count);
            return dataset.Source;
        }
        catch (InputFileException e)
        {
            throw new JobRequestException(field, e.Message);
        }
        catch (DatasetException e) when (e.InnerException is InputFileException inner)
        {
            // Named as the caller sent it: the dataset's canonical path could say where a link leads.
            throw new JobRequestException(field, $"'{location}' {inner.Problem}");
        }
        catch (DatasetException e)
        {
            throw new JobRequestException(field, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new JobRequestException(field, $"'{location}' cannot be read: {e.Message}");
        }
    }

    /// <summary>The canonical location of a model folder whose every entry lies inside the roots.</summary>
    public string ResolveModel(string field, string location)
    {
        try
        {
            return roots.CheckFolder(location);
        }
        catch (InputFileException e)
        {
            throw new JobRequestException(field, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new JobRequestException(field, $"cannot list '{location}': {e.Message}");
        }
    }
}
