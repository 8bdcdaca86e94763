namespace Mining.Kernels.IO;

/// <summary>The type of a <see cref="FileNode"/>.</summary>
internal enum FileNodeKind
{
    /// <summary>A regular file: the only kind job inputs are read from.</summary>
    Regular,

    /// <summary>A folder.</summary>
    Directory,

    /// <summary>A symbolic link (seen only when links are not followed).</summary>
    Link,

    /// <summary>A named pipe, socket or device.</summary>
    Other,
}
