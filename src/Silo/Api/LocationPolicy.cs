using Microsoft.Extensions.Options;
using Mining.Kernels.Datasets;

namespace Mining.Silo.Api;

/// <summary>
/// Decides whether the dataset and model locations of a job spec may be read: a local path must be absolute,
/// hold no <c>..</c> segment and, with every symbolic link followed, lie inside one of
/// <see cref="MiningApiOptions.AllowedRoots"/> — and so must every image a dataset lists and every file of a model
/// folder; a URI must be a blob of <see cref="MiningApiOptions.BlobAccount"/>. Anything else is refused with a
/// <see cref="JobRequestException"/> naming the field.
/// </summary>
/// <remarks>
/// The check reads the file system as the gateway sees it; the silos resolve the same paths on a shared volume.
/// What passes on is the canonical path, so a link swapped after the check cannot point the job elsewhere.
/// </remarks>
public sealed class LocationPolicy
{
    private readonly string[] roots;
    private readonly Uri? blobAccount;
    private readonly DatasetCaps caps;

    /// <summary>Takes the allowed roots (canonicalized now) and the blob account of <paramref name="options"/>.</summary>
    public LocationPolicy(IOptions<MiningApiOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        roots = options.Value.AllowedRoots.Where(Path.IsPathFullyQualified).Select(CanonicalPath.Of).ToArray();
        blobAccount = options.Value.BlobAccount is { Length: > 0 } account ? new Uri(account, UriKind.Absolute) : null;
        caps = new DatasetCaps(options.Value.Limits);
    }

    /// <summary>The canonical location of a dataset (folder or manifest) whose every image lies inside the roots.</summary>
    public string ResolveDataset(string field, string location)
    {
        if (BlobUri(field, location) is { } uri)
        {
            return uri;
        }

        var path = ResolvePath(field, location);
        caps.CheckManifest(field, location, path);
        ImageDataset dataset;
        try
        {
            dataset = ImageDataset.Open(path);
        }
        catch (Exception e) when (e is DatasetException or IOException or UnauthorizedAccessException)
        {
            throw new JobRequestException(field, e.Message);
        }

        caps.CheckImageCount(field, location, dataset.Images.Count);

        // A folder may hold links to images elsewhere, and a manifest may list any path: check each image.
        var folders = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var image in dataset.Images)
        {
            var folder = Path.GetDirectoryName(image.Path)!;
            if (!folders.TryGetValue(folder, out var canonicalFolder))
            {
                canonicalFolder = Canonical(field, folder);
                folders.Add(folder, canonicalFolder);
            }

            // The folder is canonical already, so only the file itself can still be a link.
            var file = Path.Join(canonicalFolder, Path.GetFileName(image.Path));
            var canonical = IsLink(field, file) ? Canonical(field, file) : file;
            if (!IsAllowed(canonical))
            {
                throw new JobRequestException(field, $"image '{image.ImageId}' ({image.Path}) resolves to '{canonical}', outside the allowed roots ({RootList})");
            }
        }

        return path;
    }

    /// <summary>The canonical location of a model folder whose every entry lies inside the roots.</summary>
    public string ResolveModel(string field, string location)
    {
        if (BlobUri(field, location) is { } uri)
        {
            return uri;
        }

        var path = ResolvePath(field, location);
        if (!Directory.Exists(path))
        {
            throw new JobRequestException(field, $"'{location}' is not a folder (expected a Hugging Face LLaVA checkpoint folder)");
        }

        try
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(path))
            {
                var canonical = Canonical(field, entry);
                if (!IsAllowed(canonical))
                {
                    throw new JobRequestException(field, $"'{Path.GetFileName(entry)}' in '{location}' resolves to '{canonical}', outside the allowed roots ({RootList})");
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new JobRequestException(field, $"cannot list '{location}': {e.Message}");
        }

        return path;
    }

    private string RootList => string.Join(", ", roots);

    /// <summary>Checks a local path and returns its canonical form.</summary>
    private string ResolvePath(string field, string location)
    {
        if (location.Contains('\0', StringComparison.Ordinal))
        {
            throw new JobRequestException(field, "must not contain a NUL character");
        }

        if (location.Contains("://", StringComparison.Ordinal) || location.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            throw new JobRequestException(field, $"'{location}' is neither an absolute local path nor a blob URI of the configured account");
        }

        if (!Path.IsPathFullyQualified(location))
        {
            throw new JobRequestException(field, $"'{location}' must be an absolute path inside the allowed roots ({RootList})");
        }

        if (location.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar]).Contains(".."))
        {
            throw new JobRequestException(field, $"'{location}' must not contain '..' segments");
        }

        var canonical = Canonical(field, location);
        if (!IsAllowed(canonical))
        {
            var lexical = Path.TrimEndingDirectorySeparator(Path.GetFullPath(location));
            var via = string.Equals(canonical, lexical, StringComparison.Ordinal) ? "" : $" resolves through a symbolic link to '{canonical}', which";
            throw new JobRequestException(field, $"'{location}'{via} is outside the allowed roots ({RootList})");
        }

        if (!File.Exists(canonical) && !Directory.Exists(canonical))
        {
            throw new JobRequestException(field, $"'{location}' does not exist");
        }

        return canonical;
    }

    private static string Canonical(string field, string path)
    {
        try
        {
            return CanonicalPath.Of(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new JobRequestException(field, e.Message);
        }
    }

    private static bool IsLink(string field, string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget is not null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new JobRequestException(field, e.Message);
        }
    }

    private bool IsAllowed(string canonical) => roots.Any(root => CanonicalPath.IsInside(canonical, root));

    /// <summary>The URI when <paramref name="location"/> is an http(s) URI and names a blob of the configured account; null for anything else.</summary>
    private string? BlobUri(string field, string location)
    {
        if (!location.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !location.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (blobAccount is null)
        {
            throw new JobRequestException(field, $"'{location}' is a URI, but no blob account is configured ({MiningApiOptions.SectionName}:{nameof(MiningApiOptions.BlobAccount)}); give a local path inside the allowed roots");
        }

        if (!Uri.TryCreate(location, UriKind.Absolute, out var uri))
        {
            throw new JobRequestException(field, $"'{location}' is not a valid URI");
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
        {
            // A SAS token in a job spec would be stored and shown; the silos use the account's own credentials.
            throw new JobRequestException(field, $"'{uri.GetLeftPart(UriPartial.Path)}' must not carry a query, fragment or user info (SAS tokens are not accepted)");
        }

        // System.Uri removes dot segments, so look at the path as sent: '..' (even percent-encoded) is refused.
        var authorityEnd = location.IndexOf('/', location.IndexOf("://", StringComparison.Ordinal) + 3);
        var rawPath = authorityEnd < 0 ? "" : location[authorityEnd..];
        if (rawPath.Split('/').Select(Uri.UnescapeDataString).Any(segment => segment is ".." or "." || segment.Contains('/') || segment.Contains('\\')))
        {
            throw new JobRequestException(field, $"'{location}' must not contain '.' or '..' segments");
        }

        var accountPath = blobAccount.AbsolutePath.TrimEnd('/') + "/";
        var sameAccount = string.Equals(uri.Scheme, blobAccount.Scheme, StringComparison.OrdinalIgnoreCase)
            && string.Equals(uri.Host, blobAccount.Host, StringComparison.OrdinalIgnoreCase)
            && uri.Port == blobAccount.Port
            && uri.AbsolutePath.StartsWith(accountPath, StringComparison.Ordinal)
            && uri.AbsolutePath.Length > accountPath.Length;
        if (!sameAccount)
        {
            throw new JobRequestException(field, $"'{location}' is not a blob of the configured account ({blobAccount.GetLeftPart(UriPartial.Path).TrimEnd('/')})");
        }

        return uri.AbsoluteUri;
    }
}
