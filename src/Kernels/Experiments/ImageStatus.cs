namespace Mining.Kernels.Experiments;

/// <summary>Whether an image's experiments ran.</summary>
public enum ImageStatus
{
    /// <summary>The experiments ran; the result holds its tokens.</summary>
    Ok,

    /// <summary>The image could not be used (undecodable, unreadable, ...); the reason says why.</summary>
    Failed,
}
